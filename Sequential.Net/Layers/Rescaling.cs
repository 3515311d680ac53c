using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>Rescaling(scale, offset=0.0)</c>: y = x·scale + offset, e.g. <c>new Rescaling(1.0 / 255)</c>
/// maps pixel bytes to [0, 1]. No weights; the same in training and inference.
/// </summary>
public sealed class Rescaling : Layer
{
    /// <summary>Creates the layer; <paramref name="scale"/> and <paramref name="offset"/> must be finite.</summary>
    public Rescaling(double scale, double offset = 0.0, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!double.IsFinite(scale) || !double.IsFinite(offset) || !float.IsFinite((float)scale) || !float.IsFinite((float)offset))
            throw new ArgumentException($"Rescaling: expected a finite scale and offset. Received: scale={scale}, offset={offset}.", double.IsFinite(scale) ? nameof(offset) : nameof(scale));
        Scale = scale;
        Offset = offset;
    }

    /// <summary>Multiplier applied to the inputs.</summary>
    public double Scale { get; }

    /// <summary>Added after scaling.</summary>
    public double Offset { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x)
    {
        var g = ctx.Graph;
        Node y = Scale == 1.0 ? x : g.Scale(x, (float)Scale);
        if (Offset == 0.0) return y;
        Node offset = g.Add(new ConstantOp((float)Offset), [], [y.Cols], batched: false, "offset");
        return g.RowBroadcast(new Backends.Add(), y, offset);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["scale"] = Scale;
        config["offset"] = Offset;
        return config;
    }
}
