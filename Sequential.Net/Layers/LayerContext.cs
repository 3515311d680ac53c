using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>What a layer's Call needs besides its input: the graph, the mode and its weights' nodes.</summary>
internal sealed class LayerContext(GraphBuilder graph, bool training, Func<Variable, Node> parameter)
{
    public GraphBuilder Graph { get; } = graph;
    /// <summary>True in the training graph (dropout and augmentation active).</summary>
    public bool Training { get; } = training;
    /// <summary>Index of the layer being called, used as its random stream id.</summary>
    public int LayerIndex { get; set; }
    public Node Param(Variable v) => parameter(v);
}
