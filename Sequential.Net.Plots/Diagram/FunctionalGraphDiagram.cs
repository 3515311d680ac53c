namespace SequentialNet.Plotting.Diagram;

/// <summary>
/// The graph of a functional model (Keras's plot_model): a node per input and per layer call, in the model's
/// own call order (sources first), and an edge from the call that makes each tensor to every call that reads
/// it, so branches, merges, skip connections and a shared layer's several calls all show.
/// </summary>
internal sealed class FunctionalGraphDiagram : IModelGraph
{
    public FunctionalGraphDiagram(Model model)
    {
        var graph = model.Graph;
        var nodes = new List<DiagramNode>();
        var index = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);   // Input or CallNode → node index
        foreach (var input in graph.Inputs)
        {
            index[input] = nodes.Count;
            nodes.Add(new DiagramNode(input.Name, "InputLayer", null, Format(input.ShapeWithoutBatch)));
        }
        var edges = new List<DiagramEdge>();
        foreach (var call in graph.Nodes)
        {
            int target = nodes.Count;
            index[call] = target;
            string inputs = string.Join(", ", call.Inputs.Select(t => Format(t.ShapeWithoutBatch)));
            string outputs = string.Join(", ", call.Outputs.Select(t => Format(t.ShapeWithoutBatch)));
            nodes.Add(new DiagramNode(call.Layer.Name, call.Layer.GetType().Name, inputs, outputs));
            foreach (var source in call.Inputs)
                edges.Add(new DiagramEdge(index[(object?)source.Producer ?? source], target));
        }
        Nodes = nodes;
        Edges = edges;
    }

    public IReadOnlyList<DiagramNode> Nodes { get; }

    public IReadOnlyList<DiagramEdge> Edges { get; }

    private static string Format(int[] shape) => "(None, " + string.Join(", ", shape) + ")";
}
