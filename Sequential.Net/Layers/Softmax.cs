using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// Softmax as a layer (Keras <c>Softmax(axis=-1)</c>). The backends normalize the last axis; another axis of the
/// sample is swapped to the end, normalized and swapped back (two Permute ops), so every backend runs it.
/// </summary>
public sealed class Softmax : Layer
{
    /// <summary>
    /// Creates the layer; <paramref name="axis"/> counts the batch axis as 0, as Keras's (−1 is the last axis). The
    /// batch axis itself cannot be normalized, and inputs may have at most four axes besides the batch (Permute's limit).
    /// </summary>
    public Softmax(int axis = -1, int[]? inputShape = null, string? name = null) : base(name, inputShape) => Axis = axis;

    /// <summary>The axis normalized.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        SampleAxis(inputShape.Length);
        return inputShape;
    }

    /// <summary>The normalized axis among the sample's <paramref name="rank"/> axes (the batch axis not counted).</summary>
    private int SampleAxis(int rank)
    {
        int axis = Axis < 0 ? Axis + rank + 1 : Axis;   // with the batch axis counted, as Keras numbers them
        if (axis < 1 || axis > rank)
            throw new NotSupportedException($"Layer \"{Name}\" (Softmax) expected an axis of the sample: 1..{rank} or -{rank}..-1 for inputs of shape (batch, {string.Join(", ", Enumerable.Range(0, rank).Select(_ => "…"))}) (the batch axis 0 cannot be normalized). Received: axis={Axis}.");
        if (axis != rank && rank > 4)
            throw new NotSupportedException($"Layer \"{Name}\" (Softmax) expected at most 4 axes besides the batch to normalize an axis other than the last. Received: {rank} axes and axis={Axis}.");
        return axis - 1;
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        var g = ctx.Graph;
        int rank = x.Shape.Length, axis = SampleAxis(rank);
        if (axis == rank - 1) return g.Softmax(x);
        int[] swap = [.. Enumerable.Range(0, rank)];
        (swap[axis], swap[rank - 1]) = (rank - 1, axis);   // a transposition: its own inverse
        return g.Permute(g.Softmax(g.Permute(x, swap)), swap);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["axis"] = Axis;
        return config;
    }
}
