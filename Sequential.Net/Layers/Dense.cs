using SequentialNet.Graph;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Densely connected layer: y = activation(x·W + b), applied to the last axis. Weights: kernel W
/// (input_dim, units), Keras layout (PyTorch's nn.Linear stores the transpose), and bias b (units).
/// Defaults as Keras: glorot_uniform kernel, zero bias, no activation.
/// </summary>
public sealed class Dense : Layer
{
    private readonly Initializer _kernelInitializer;
    private readonly Initializer _biasInitializer;

    /// <summary>Creates a Dense layer with <paramref name="units"/> outputs.</summary>
    public Dense(int units, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        int[]? inputShape = null, string? name = null,
        Regularizers.Regularizer? kernelRegularizer = null, Regularizers.Regularizer? biasRegularizer = null) : base(name, inputShape)
    {
        if (units <= 0) throw new ArgumentException($"Dense: expected units > 0. Received: units={units}.", nameof(units));
        Units = units;
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        _kernelInitializer = kernelInitializer ?? new GlorotUniform();
        _biasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>Penalty on the kernel added to the training loss (Keras <c>kernel_regularizer</c>); null: none.</summary>
    public Regularizers.Regularizer? KernelRegularizer { get; }
    /// <summary>Penalty on the bias added to the training loss (Keras <c>bias_regularizer</c>); null: none.</summary>
    public Regularizers.Regularizer? BiasRegularizer { get; }

    internal override IEnumerable<(Variable Variable, Regularizers.Regularizer Regularizer)> Regularized
        => KernelAndBiasPenalties(Kernel, KernelRegularizer, Bias, BiasRegularizer);

    /// <summary>Output width.</summary>
    public int Units { get; }
    /// <summary>Activation applied after the affine map.</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>W: (input_dim, units); null before Build.</summary>
    public Variable? Kernel { get; private set; }
    /// <summary>b: (units); null before Build or without bias.</summary>
    public Variable? Bias { get; private set; }

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        RequireFeatureAxis(inputShape);
        Kernel = AddWeight("kernel", [inputShape[^1], Units], _kernelInitializer);
        if (UseBias) Bias = AddWeight("bias", [Units], _biasInitializer);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        RequireFeatureAxis(inputShape);
        return [.. inputShape[..^1], Units];
    }

    // The kernel is (inputShape[^1], units): an input of only the batch axis has no feature axis to map.
    private void RequireFeatureAxis(int[] inputShape)
    {
        if (inputShape.Length == 0)
            throw new ArgumentException($"Layer \"{Name}\" (Dense) expected an input with at least 1 dimension besides the batch, e.g. inputShape: [features]. Received: inputShape={Tensor.FormatShape(inputShape)}.", nameof(inputShape));
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        var g = ctx.Graph;
        Node kernel = ctx.Param(Kernel!);                    // (in, units)
        if (Bias == null) return Activation.Apply(g, g.MatMul(x, kernel));   // (…, in)·(in, units) → (…, units)
        // One fused op f(x·W + b) (DenseOp): with the activation when its gradient can be read at the output,
        // else the bias only, and the activation's own ops after it.
        Node bias = ctx.Param(Bias);
        return Activation.Dense is { } fused
            ? fused(g, x, kernel, bias)
            : Activation.Apply(g, g.Dense(new Backends.Identity(), x, kernel, bias));
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["units"] = Units;
        Saving.ConfigValues.AddKernelAndBias(config, Activation, UseBias, _kernelInitializer, _biasInitializer, KernelRegularizer, BiasRegularizer);
        return config;
    }
}
