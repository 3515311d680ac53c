using SequentialNet.Graph;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Parametric ReLU (Keras <c>PReLU</c>): f(x) = x for x &gt; 0, else alpha·x, with alpha learned per input
/// element (shape: the input shape without the batch axis), or shared along <c>sharedAxes</c> (Keras's
/// <c>shared_axes</c>, numbered from 1 after the batch axis; those axes of alpha have size 1).
/// </summary>
/// <remarks>
/// Built as relu(x) − alpha ⊙ relu(−x) with alpha broadcast over rows, so every backend runs it and autodiff gives
/// dalpha. Shared axes must be the leading axes of the sample ([1], [1, 2], … as for images and sequences): the
/// sample is then seen as rows of the non-shared trailing axes. Other patterns are refused at Build.
/// </remarks>
public sealed class PReLU : Layer
{
    private readonly Initializer _alphaInitializer;

    /// <summary>Creates the layer; alpha starts from <paramref name="alphaInitializer"/> (Keras's default: zeros).</summary>
    public PReLU(Initializer? alphaInitializer = null, int[]? sharedAxes = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        _alphaInitializer = alphaInitializer ?? new Zeros();
        SharedAxes = sharedAxes is { Length: > 0 } ? [.. sharedAxes.Order()] : null;
    }

    /// <summary>The axes (1-based, after the batch) along which alpha is shared; null: none.</summary>
    public int[]? SharedAxes { get; }

    /// <summary>alpha: the input shape without the batch axis; null before Build.</summary>
    public Variable? Alpha { get; private set; }

    /// <inheritdoc/>
    protected override string DefaultName => "p_re_lu";

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        if (inputShape.Length == 0)
            throw new ArgumentException($"Layer \"{Name}\" (PReLU) expected an input with at least 1 dimension besides the batch. Received: inputShape={Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        int shared = SharedAxes?.Length ?? 0;
        if (SharedAxes != null && (SharedAxes.Distinct().Count() != shared || SharedAxes.Where((a, i) => a != i + 1).Any() || shared >= inputShape.Length))
            throw new NotSupportedException($"Layer \"{Name}\" (PReLU) expected sharedAxes to be the leading axes of the sample, [1] … [1, …, {inputShape.Length - 1}], for inputs of shape (batch, {string.Join(", ", inputShape)}) (other patterns are not supported). Received: sharedAxes=[{string.Join(", ", SharedAxes)}].");
        // Keras's parameter shape: the input shape with 1 at each shared axis.
        Alpha = AddWeight("alpha", [.. inputShape.Select((d, i) => i < shared ? 1 : d)], _alphaInitializer);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x)
    {
        var g = ctx.Graph;
        int features = Alpha!.Length, shared = SharedAxes?.Length ?? 0;
        // (N, F) with no shared axes; (N·S, F) where S is the size of the shared leading axes.
        Node flat = shared == 0 ? g.Reshape(x, [features]) : g.Reshape(x, [x.InnerSize / features, features]);
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
        config["shared_axes"] = SharedAxes;
        return config;
    }
}
