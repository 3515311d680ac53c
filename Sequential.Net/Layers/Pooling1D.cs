using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// Base of <see cref="MaxPooling1D"/> and <see cref="AveragePooling1D"/>: windows of <c>poolSize</c> steps every
/// <c>strides</c> (default: the pool size) over (batch, steps, channels), TensorFlow's padding; run as 2-D pooling
/// of (1, steps) images.
/// </summary>
public abstract class Pooling1D : Layer
{
    private readonly PoolKind _kind;

    private protected Pooling1D(PoolKind kind, int poolSize, int strides, string padding, int[]? inputShape, string? name) : base(name, inputShape)
    {
        _kind = kind;
        string who = $"{GetType().Name} \"{Name}\"";
        PoolSize = ConvArguments.Tuple(who, "pool_size", [poolSize], 1, 2)[0];
        Strides = strides == 0 ? PoolSize : ConvArguments.Tuple(who, "strides", [strides], 1, 1)[0];
        Padding = Backends.Padding.Parse(padding, who);
    }

    /// <summary>Window length.</summary>
    public int PoolSize { get; }
    /// <summary>Step between windows.</summary>
    public int Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }

    private ConvSpec Spec => new(1, PoolSize, 1, Strides, 1, 1, Padding);

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 1);
        var (_, w) = ConvArguments.Output(this, [1, inputShape[0], inputShape[1]], Spec);
        return [w, inputShape[1]];
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        int[] output = ComputeOutputShape(x.Shape);
        var g = ctx.Graph;
        return g.Reshape(Pool2DOp.Emit(g, _kind, Spec, g.Reshape(x, [1, x.Shape[0], x.Shape[1]])), output);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["pool_size"] = PoolSize;
        config["padding"] = Padding;
        config["strides"] = Strides;
        config["data_format"] = "channels_last";
        return config;
    }
}
