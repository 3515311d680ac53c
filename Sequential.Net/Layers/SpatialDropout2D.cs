using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>SpatialDropout2D</c>, channels last: in training, drops whole feature maps — each (sample, channel)
/// with probability <see cref="Rate"/> — and scales the kept ones by 1/(1−rate); the identity in Evaluate and
/// Predict. The (batch, channels) mask is Dropout's Philox mask at (seed, step, layer), element b·channels + c, so
/// every backend draws the same channels.
/// </summary>
public sealed class SpatialDropout2D : Layer
{
    /// <summary>Creates the layer; 0 ≤ rate &lt; 1.</summary>
    public SpatialDropout2D(double rate, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentException($"SpatialDropout2D \"{Name}\": expected 0 <= rate < 1. Received: rate={rate}.", nameof(rate));
        Rate = rate;
    }

    /// <summary>Fraction of feature maps dropped in training.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        return inputShape;
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        if (!ctx.Training || Rate == 0) return x;
        var g = ctx.Graph;
        Node mask = g.Add(new DropoutMaskOp((float)Rate, (uint)ctx.LayerIndex), [x], [1, 1, x.Shape[2]], x.Batched);   // (batch, 1, 1, C)
        return ScaleChannelsOp.Emit(g, x, mask);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["rate"] = Rate;
        config["data_format"] = "channels_last";
        return config;
    }
}
