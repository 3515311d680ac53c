using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>(batch, d1, d2, …) → (batch, d1·d2·…). A view: no copy.</summary>
public sealed class Flatten(int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => [ShapeSize.Of(inputShape, $"Layer \"{Name}\" (Flatten)")];

    internal override Node Call(LayerContext ctx, Node x) => ctx.Graph.Reshape(x, ComputeOutputShape(x.Shape));
}

/// <summary>Reshapes each sample to <see cref="TargetShape"/> (one dimension may be -1). A view: no copy.</summary>
public sealed class Reshape : Layer
{
    /// <summary>Creates the layer.</summary>
    public Reshape(int[] targetShape, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Count(d => d == -1) > 1 || targetShape.Any(d => d == 0 || d < -1))
            throw new ArgumentException($"Reshape: expected positive dimensions and at most one -1. Received: {Tensor.FormatShape(targetShape)}.", nameof(targetShape));
        TargetShape = (int[])targetShape.Clone();
    }

    /// <summary>The per-sample shape.</summary>
    public int[] TargetShape { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        int n = ShapeSize.Of(inputShape, $"Layer \"{Name}\" (Reshape)");
        try { return Tensor.ResolveShape(TargetShape, n, $"Layer \"{Name}\" (Reshape)"); }
        catch (ArgumentException e) { throw new ArgumentException($"{e.Message} Input shape: {Tensor.FormatShape(inputShape)}.", e); }
    }

    internal override Node Call(LayerContext ctx, Node x) => ctx.Graph.Reshape(x, ComputeOutputShape(x.Shape));

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["target_shape"] = TargetShape;
        return config;
    }
}
