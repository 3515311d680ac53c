using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>UpSampling2D</c>, channels last, nearest neighbour: repeats every row <c>size[0]</c> times and every
/// column <c>size[1]</c> times, (batch, h, w, c) → (batch, h·size[0], w·size[1], c). Only
/// <c>interpolation="nearest"</c> is supported.
/// </summary>
public sealed class UpSampling2D : Layer
{
    /// <summary>The same factor for rows and columns (default 2).</summary>
    public UpSampling2D(int size = 2, string interpolation = "nearest", int[]? inputShape = null, string? name = null)
        : this([size], interpolation, inputShape, name) { }

    /// <summary>(rows, columns) factors, each ≥ 1.</summary>
    public UpSampling2D(int[] size, string interpolation = "nearest", int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        string who = $"UpSampling2D \"{Name}\"";
        Size = ConvArguments.Tuple(who, "size", size ?? throw new ArgumentNullException(nameof(size)), 2, 2);
        string mode = (interpolation ?? "").ToLowerInvariant();
        if (mode != "nearest")
            throw new ArgumentException($"{who}: interpolation=\"{interpolation}\" is not supported. Expected \"nearest\" (bilinear upsampling is not implemented).", nameof(interpolation));
        Interpolation = mode;
    }

    /// <summary>(rows, columns) repeat factors.</summary>
    public int[] Size { get; }

    /// <summary>"nearest".</summary>
    public string Interpolation { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        return [checked(inputShape[0] * Size[0]), checked(inputShape[1] * Size[1]), inputShape[2]];
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        return UpSample2DOp.Emit(ctx.Graph, x, Size[0], Size[1]);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["size"] = (int[])Size.Clone();
        config["data_format"] = "channels_last";
        config["interpolation"] = Interpolation;
        return config;
    }
}
