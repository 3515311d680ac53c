using SequentialNet.Layers;

namespace SequentialNet.Plotting.Diagram;

/// <summary>
/// The graph of a model whose layers form a chain (<see cref="Model.Layers"/> in order): an input node, then
/// each layer, each fed by the one before. Shapes come from the model's input shape through each layer's
/// <see cref="Layer.ComputeOutputShape"/>, or from the first layer's built input shape.
/// </summary>
internal sealed class LayerChainGraph : IModelGraph
{
    public LayerChainGraph(Model model)
    {
        var nodes = new List<DiagramNode>();
        int[]? shape = model.InputShape ?? model.Layers.FirstOrDefault()?.BuiltInputShape;
        nodes.Add(new DiagramNode("input_layer", "InputLayer", null, Format(shape)));
        foreach (Layer layer in model.Layers)
        {
            string input = Format(shape);
            shape = shape == null ? null : layer.ComputeOutputShape(shape);
            nodes.Add(new DiagramNode(layer.Name, layer.GetType().Name, input, Format(shape)));
        }
        Nodes = nodes;
        Edges = Enumerable.Range(1, nodes.Count - 1).Select(i => new DiagramEdge(i - 1, i)).ToList();
    }

    public IReadOnlyList<DiagramNode> Nodes { get; }

    public IReadOnlyList<DiagramEdge> Edges { get; }

    // Keras prints the batch axis as None: (None, 28, 28, 1).
    private static string Format(int[]? shape) => shape == null ? "?" : "(None, " + string.Join(", ", shape) + ")";
}
