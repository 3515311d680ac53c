using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>Softmax as a layer (Keras <c>Softmax(axis=-1)</c>); the last axis is the one the backends normalize.</summary>
public sealed class Softmax : Layer
{
    /// <summary>Creates the layer; <paramref name="axis"/> must name the last axis (−1, or its index counting the batch axis).</summary>
    public Softmax(int axis = -1, int[]? inputShape = null, string? name = null) : base(name, inputShape) => Axis = axis;

    /// <summary>The axis normalized.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (Axis != -1 && Axis != inputShape.Length)
            throw new NotSupportedException($"Layer \"{Name}\" (Softmax) expected axis -1 (the last axis, {inputShape.Length} for inputs of shape (batch, {string.Join(", ", inputShape)})); other axes are not supported. Received: axis={Axis}.");
        return inputShape;
    }

    internal override Node Call(LayerContext ctx, Node x) => ctx.Graph.Softmax(x);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["axis"] = Axis;
        return config;
    }
}
