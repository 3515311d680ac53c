using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// Base of <see cref="GlobalAveragePooling1D"/> and <see cref="GlobalMaxPooling1D"/>: one window of all steps,
/// (batch, steps, channels) → (batch, channels), or (batch, 1, channels) with <c>keepdims</c>.
/// </summary>
public abstract class GlobalPooling1D : Layer
{
    private readonly PoolKind _kind;

    private protected GlobalPooling1D(PoolKind kind, bool keepdims, int[]? inputShape, string? name) : base(name, inputShape)
    {
        _kind = kind;
        Keepdims = keepdims;
    }

    /// <summary>Whether the steps axis stays, as size 1.</summary>
    public bool Keepdims { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 1);
        return Keepdims ? [1, inputShape[1]] : [inputShape[1]];
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        int[] shape = ComputeOutputShape(x.Shape);
        var g = ctx.Graph;
        Node pooled = Pool2DOp.Emit(g, _kind, new ConvSpec(1, x.Shape[0], 1, 1, 1, 1, "valid"), g.Reshape(x, [1, x.Shape[0], x.Shape[1]]));
        return g.Reshape(pooled, shape);
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
