using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// Base of <see cref="GlobalAveragePooling2D"/> and <see cref="GlobalMaxPooling2D"/>: one window of the whole
/// image, (batch, height, width, channels) → (batch, channels), or (batch, 1, 1, channels) with <c>keepdims</c>.
/// </summary>
public abstract class GlobalPooling2D : Layer
{
    private readonly PoolKind _kind;

    private protected GlobalPooling2D(PoolKind kind, bool keepdims, int[]? inputShape, string? name) : base(name, inputShape)
    {
        _kind = kind;
        Keepdims = keepdims;
    }

    /// <summary>Whether the two spatial axes stay, as size 1.</summary>
    public bool Keepdims { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        return Keepdims ? [1, 1, inputShape[2]] : [inputShape[2]];
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        int[] shape = ComputeOutputShape(x.Shape);
        Node pooled = Pool2DOp.Emit(ctx.Graph, _kind, new ConvSpec(x.Shape[0], x.Shape[1], 1, 1, 1, 1, "valid"), x);   // (1, 1, C)
        return Keepdims ? pooled : ctx.Graph.Reshape(pooled, shape);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["data_format"] = "channels_last";
        config["keepdims"] = Keepdims;
        return config;
    }
}
