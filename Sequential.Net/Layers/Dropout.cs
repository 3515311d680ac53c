using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// In training, zeroes each input with probability <see cref="Rate"/> and scales the rest by 1/(1−rate);
/// the identity in Evaluate and Predict. Masks come from Philox at (seed, step, layer), identical on
/// every backend.
/// </summary>
public sealed class Dropout : Layer
{
    /// <summary>Creates the layer; 0 ≤ rate &lt; 1.</summary>
    public Dropout(double rate, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentException($"Dropout: expected 0 <= rate < 1. Received: rate={rate}.", nameof(rate));
        Rate = rate;
    }

    /// <summary>Fraction of inputs dropped in training.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x)
    {
        if (!ctx.Training || Rate == 0) return x;
        var g = ctx.Graph;
        Node mask = g.DropoutMask(x, (float)Rate, (uint)ctx.LayerIndex);
        return g.Binary(new Backends.Mul(), x, mask);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["rate"] = Rate;
        return config;
    }
}
