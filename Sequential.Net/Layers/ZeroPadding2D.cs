using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>ZeroPadding2D</c>, channels last: adds rows and columns of zeros around each image,
/// (batch, h, w, c) → (batch, top + h + bottom, left + w + right, c).
/// </summary>
public sealed class ZeroPadding2D : Layer
{
    /// <summary>The same padding on every side (default 1).</summary>
    public ZeroPadding2D(int padding = 1, int[]? inputShape = null, string? name = null)
        : this(SpatialAmounts.Symmetric(padding, padding), inputShape, name) { }

    /// <summary>(symmetric height, symmetric width) padding.</summary>
    public ZeroPadding2D(int[] padding, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        => Padding = SpatialAmounts.FromTuple(Who, "padding", padding);

    /// <summary>((top, bottom), (left, right)) padding.</summary>
    public ZeroPadding2D(int[][] padding, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        => Padding = SpatialAmounts.FromPairs(Who, "padding", padding);

    private string Who => $"ZeroPadding2D \"{Name}\"";

    /// <summary>((top, bottom), (left, right)) rows and columns of zeros.</summary>
    public int[][] Padding { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        return [inputShape[0] + Padding[0][0] + Padding[0][1], inputShape[1] + Padding[1][0] + Padding[1][1], inputShape[2]];
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        return Pad2DOp.Emit(ctx.Graph, x, Padding[0][0], Padding[0][1], Padding[1][0], Padding[1][1]);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["padding"] = Padding.Select(pair => (int[])pair.Clone()).ToArray();
        config["data_format"] = "channels_last";
        return config;
    }
}
