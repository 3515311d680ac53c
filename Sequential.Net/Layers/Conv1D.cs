using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>Conv1D</c>, channels last: (batch, steps, channels) → (batch, out_steps, filters),
/// y = activation(conv(x, kernel) + bias), kernel (kernel_size, in_channels, filters) and bias (filters) in Keras's
/// layout. "valid" or "same" padding as TensorFlow pads, or "causal" (Keras: (kernel_size − 1)·dilation_rate zeros
/// before the sequence, none after, so output t sees inputs ≤ t only). It runs as a Conv2D over (1, steps) images:
/// the views are free, so it shares the 2-D primitives on every backend (with <c>groups</c> &gt; 1, Keras's grouped
/// convolution, the direct grouped primitive).
/// </summary>
public sealed class Conv1D : Layer
{
    private readonly Initializer _kernelInitializer, _biasInitializer;

    /// <summary>Creates the layer; <paramref name="kernelSize"/>, <paramref name="strides"/> and <paramref name="dilationRate"/> are ≥ 1.</summary>
    public Conv1D(int filters, int kernelSize, int strides = 1, string padding = "valid", int dilationRate = 1,
        ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizers.Regularizer? kernelRegularizer = null, Regularizers.Regularizer? biasRegularizer = null,
        int[]? inputShape = null, string? name = null, int groups = 1) : base(name, inputShape)
    {
        string who = $"Conv1D \"{Name}\"";
        if (filters <= 0)
            throw new ArgumentException($"{who}: invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}.", nameof(filters));
        Filters = filters;
        Groups = ConvArguments.Groups(who, groups, filters);
        KernelSize = ConvArguments.Tuple(who, "kernel_size", [kernelSize], 1, 1)[0];
        Strides = ConvArguments.Tuple(who, "strides", [strides], 1, 1)[0];
        DilationRate = ConvArguments.Tuple(who, "dilation_rate", [dilationRate], 1, 1)[0];
        ConvArguments.StridesWithDilation(who, [Strides], [DilationRate]);
        Padding = Backends.Padding.ParseConv1D(padding, who);
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        _kernelInitializer = kernelInitializer ?? new GlorotUniform();
        _biasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>Window length.</summary>
    public int KernelSize { get; }
    /// <summary>Step between windows.</summary>
    public int Strides { get; }
    /// <summary>"valid", "same" or "causal".</summary>
    public string Padding { get; }
    /// <summary>Spacing of the window's taps.</summary>
    public int DilationRate { get; }
    /// <summary>Groups of input channels, each convolved with its own filters/groups filters (Keras's groups); 1: an ordinary convolution.</summary>
    public int Groups { get; }
    /// <summary>Applied after the bias.</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Penalty on the kernel added to the training loss; null: none.</summary>
    public Regularizers.Regularizer? KernelRegularizer { get; }
    /// <summary>Penalty on the bias added to the training loss; null: none.</summary>
    public Regularizers.Regularizer? BiasRegularizer { get; }
    /// <summary>(kernel_size, in_channels/groups, filters); null before Build.</summary>
    public Variable? Kernel { get; private set; }
    /// <summary>(filters); null before Build or without bias.</summary>
    public Variable? Bias { get; private set; }

    private ConvSpec Spec => new(1, KernelSize, 1, Strides, 1, DilationRate, Padding);

    internal override IEnumerable<(Variable Variable, Regularizers.Regularizer Regularizer)> Regularized
        => KernelAndBiasPenalties(Kernel, KernelRegularizer, Bias, BiasRegularizer);

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 1);
        ConvArguments.RequireGroupedChannels(this, Groups, inputShape);
        if (Kernel != null && Kernel.Shape[1] * Groups != inputShape[1])
            throw new ArgumentException($"Input 0 of layer \"{Name}\" (Conv1D) is incompatible with the layer: expected axis -1 of input shape to have value {Kernel.Shape[1] * Groups} (the kernel's input channels), but received input with shape {ConvArguments.Batched(inputShape)}.", nameof(inputShape));
        var (_, w) = ConvArguments.Output(this, [1, inputShape[0], inputShape[1]], Spec);
        return [w, Filters];
    }

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        ComputeOutputShape(inputShape);
        Kernel = AddWeight("kernel", [KernelSize, inputShape[1] / Groups, Filters], _kernelInitializer);
        if (UseBias) Bias = AddWeight("bias", [Filters], _biasInitializer);
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        int[] output = ComputeOutputShape(x.Shape);
        var g = ctx.Graph;
        Node image = g.Reshape(x, [1, x.Shape[0], x.Shape[1]]);                                   // (1, steps, C)
        Node kernel = g.Reshape(ctx.Param(Kernel!), [1, KernelSize, Kernel!.Shape[1], Filters]);   // (1, k, C/groups, F)
        Node? bias = Bias == null ? null : ctx.Param(Bias);
        Node y = Groups == 1 ? ConvArguments.Convolve(g, Activation, Spec, image, kernel, bias)
            : ConvArguments.ConvolveGrouped(g, Activation, Spec, Groups, image, kernel, bias);
        return g.Reshape(y, output);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["filters"] = Filters;
        config["kernel_size"] = KernelSize;
        config["strides"] = Strides;
        config["padding"] = Padding;
        config["data_format"] = "channels_last";
        config["dilation_rate"] = DilationRate;
        config["groups"] = Groups;
        Saving.ConfigValues.AddKernelAndBias(config, Activation, UseBias, _kernelInitializer, _biasInitializer, KernelRegularizer, BiasRegularizer);
        return config;
    }
}
