using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// Base of <see cref="MaxPooling2D"/> and <see cref="AveragePooling2D"/>: windows of <c>poolSize</c> every
/// <c>strides</c> (default: the pool size) over (batch, height, width, channels), padded as TensorFlow pads.
/// Padded cells are never part of a window: they cannot be the max and are not counted in the average.
/// </summary>
public abstract class Pooling2D : Layer
{
    private readonly PoolKind _kind;

    private protected Pooling2D(PoolKind kind, int[] poolSize, int[]? strides, string padding, int[]? inputShape, string? name) : base(name, inputShape)
    {
        _kind = kind;
        string who = $"{GetType().Name} \"{Name}\"";
        PoolSize = ConvArguments.Tuple(who, "pool_size", poolSize ?? throw new ArgumentNullException(nameof(poolSize)), 2, 2);
        Strides = ConvArguments.Tuple(who, "strides", strides ?? PoolSize, 2, 1);
        Padding = Backends.Padding.Parse(padding, who);
    }

    /// <summary>(height, width) of the window.</summary>
    public int[] PoolSize { get; }
    /// <summary>(height, width) steps between windows.</summary>
    public int[] Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }

    private ConvSpec Spec => new(PoolSize[0], PoolSize[1], Strides[0], Strides[1], 1, 1, Padding);

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        var (h, w) = ConvArguments.Output(this, inputShape, Spec);
        return [h, w, inputShape[2]];
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        return Pool2DOp.Emit(ctx.Graph, _kind, Spec, x);
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
