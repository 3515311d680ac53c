using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>Cropping2D</c>, channels last: removes rows and columns at the borders of each image,
/// (batch, h, w, c) → (batch, h − top − bottom, w − left − right, c).
/// </summary>
public sealed class Cropping2D : Layer
{
    /// <summary>The same cropping on every side (default 0).</summary>
    public Cropping2D(int cropping = 0, int[]? inputShape = null, string? name = null)
        : this(SpatialAmounts.Symmetric(cropping, cropping), inputShape, name) { }

    /// <summary>(symmetric height, symmetric width) cropping.</summary>
    public Cropping2D(int[] cropping, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        => Cropping = SpatialAmounts.FromTuple(Who, "cropping", cropping);

    /// <summary>((top, bottom), (left, right)) cropping.</summary>
    public Cropping2D(int[][] cropping, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        => Cropping = SpatialAmounts.FromPairs(Who, "cropping", cropping);

    private string Who => $"Cropping2D \"{Name}\"";

    /// <summary>((top, bottom), (left, right)) rows and columns removed.</summary>
    public int[][] Cropping { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        int h = inputShape[0] - Cropping[0][0] - Cropping[0][1], w = inputShape[1] - Cropping[1][0] - Cropping[1][1];
        if (h <= 0 || w <= 0)
            throw new ArgumentException($"Layer \"{Name}\" (Cropping2D): values in `cropping` argument should be smaller than the corresponding spatial dimension of the input. Received: input_shape={ConvArguments.Batched(inputShape)}, cropping={SpatialAmounts.Describe(Cropping)}.", nameof(inputShape));
        return [h, w, inputShape[2]];
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        return Pad2DOp.Emit(ctx.Graph, x, -Cropping[0][0], -Cropping[0][1], -Cropping[1][0], -Cropping[1][1]);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["cropping"] = Cropping.Select(pair => (int[])pair.Clone()).ToArray();
        config["data_format"] = "channels_last";
        return config;
    }
}
