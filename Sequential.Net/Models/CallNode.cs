using SequentialNet.Layers;

namespace SequentialNet;

/// <summary>
/// One application of a layer to symbolic tensors (Keras's <c>Node</c>): the layer, the tensors it was
/// applied to and the tensors it made. A layer applied twice has two call nodes and one set of weights.
/// </summary>
internal sealed class CallNode
{
    private CallNode(Layer layer, KerasTensor[] inputs)
    {
        Layer = layer; Inputs = inputs;
    }

    public Layer Layer { get; }
    public KerasTensor[] Inputs { get; }
    public KerasTensor[] Outputs { get; private set; } = [];

    /// <summary>Builds <paramref name="layer"/> for the inputs' shapes and records the call.</summary>
    public static CallNode Record(Layer layer, KerasTensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"Layer \"{layer.Name}\" ({layer.GetType().Name}): input {i} is null.");
        if (layer is InputLayer)
            throw new InvalidOperationException($"Layer \"{layer.Name}\" (InputLayer) cannot be applied to tensors: use its Output, or new Input(shape).");
        var (min, max) = layer.InputArity;
        if (inputs.Length < min || inputs.Length > max)
        {
            string expected = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
            throw new ArgumentException($"Layer \"{layer.Name}\" ({layer.GetType().Name}) expected {expected} input tensor{(max == 1 ? "" : "s")}. Received: {inputs.Length} ({string.Join(", ", inputs.Select(t => t.ToString()))}).", nameof(inputs));
        }
        int[][] shapes = [.. inputs.Select(t => t.Shape)];
        layer.BuildFor(shapes);
        int[][] outputShapes = layer.OutputShapesFor(shapes);
        var node = new CallNode(layer, [.. inputs]);
        node.Outputs = [.. outputShapes.Select((s, i) => new KerasTensor(node, i, s))];
        return node;
    }

    public override string ToString() => $"{Layer.Name}({string.Join(", ", Inputs.Select(t => t.Name))})";
}
