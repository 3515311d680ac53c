using SequentialNet.Graph;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Parametric ReLU (Keras <c>PReLU</c>): f(x) = x for x &gt; 0, else alpha·x, with alpha learned per input
/// element (shape: the input shape without the batch axis; Keras's default, no shared axes).
/// </summary>
/// <remarks>Built as relu(x) − alpha ⊙ relu(−x) over the flattened sample, so every backend runs it and autodiff gives dalpha.</remarks>
public sealed class PReLU : Layer
{
    private readonly Initializer _alphaInitializer;

    /// <summary>Creates the layer; alpha starts from <paramref name="alphaInitializer"/> (Keras's default: zeros).</summary>
    public PReLU(Initializer? alphaInitializer = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        => _alphaInitializer = alphaInitializer ?? new Zeros();

    /// <summary>alpha: the input shape without the batch axis; null before Build.</summary>
    public Variable? Alpha { get; private set; }

    /// <inheritdoc/>
    protected override string DefaultName => "p_re_lu";

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        if (inputShape.Length == 0)
            throw new ArgumentException($"Layer \"{Name}\" (PReLU) expected an input with at least 1 dimension besides the batch. Received: inputShape={Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        Alpha = AddWeight("alpha", inputShape, _alphaInitializer);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x)
    {
        var g = ctx.Graph;
        int features = Alpha!.Length;
        Node flat = g.Reshape(x, [features]);                       // (N, F)
        Node alpha = g.Reshape(ctx.Param(Alpha), [features]);      // (F)
        Node positive = g.Unary(new Backends.Relu(), flat);
        Node negative = g.Unary(new Backends.Relu(), g.Unary(new Backends.Negate(), flat));   // max(−x, 0)
        Node y = g.Binary(new Backends.Sub(), positive, g.RowBroadcast(new Backends.Mul(), negative, alpha));
        return g.Reshape(y, x.Shape);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["alpha_initializer"] = Saving.ConfigValues.Initializer(_alphaInitializer);
        return config;
    }
}
