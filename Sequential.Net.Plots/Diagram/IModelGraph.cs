namespace SequentialNet.Plotting.Diagram;

/// <summary>
/// What a model diagram draws: nodes (an input, the layers) and the edges of the data flow between them.
/// The renderer knows only this, so a functional model with branches and merges is drawn by listing its
/// nodes and edges here; <see cref="LayerChainGraph"/> is the chain of a <c>Sequential</c>.
/// </summary>
internal interface IModelGraph
{
    /// <summary>The nodes, sources first (an edge's target never precedes its source).</summary>
    IReadOnlyList<DiagramNode> Nodes { get; }

    /// <summary>Edges between indices of <see cref="Nodes"/>.</summary>
    IReadOnlyList<DiagramEdge> Edges { get; }
}
