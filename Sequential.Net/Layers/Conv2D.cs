using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>Conv2D</c>, channels last: (batch, height, width, channels) → (batch, out_height, out_width, filters),
/// y = activation(conv(x, kernel) + bias). Kernel (kernel_h, kernel_w, in_channels, filters) and bias (filters),
/// Keras's layout; glorot_uniform kernel and zero bias by default. <c>padding</c> is "valid" (no padding) or
/// "same" (output ⌈in/stride⌉), padded exactly as TensorFlow pads: of an odd total the extra cell goes to the
/// bottom/right. <c>kernelSize: 3</c> means (3, 3). Strides &gt; 1 with a dilation &gt; 1 is refused, as in Keras.
/// The CPU runs it as an implicit GEMM (patches gathered block by block into the packed SGEMM, bias and
/// relu/leaky relu in its epilogue); CUDA gathers patches by kernel into a workspace and calls cuBLAS. With
/// <c>groups</c> &gt; 1 (Keras's grouped convolution: kernel (kernel_h, kernel_w, in_channels/groups, filters)) both
/// backends run the direct grouped-convolution primitive instead, bias and activation as their own ops.
/// </summary>
public sealed class Conv2D : Layer
{
    private readonly Initializer _kernelInitializer, _biasInitializer;

    /// <summary>A convolution with square or rectangular windows given as (h, w) (or one value for both).</summary>
    public Conv2D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", int[]? dilationRate = null,
        ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizers.Regularizer? kernelRegularizer = null, Regularizers.Regularizer? biasRegularizer = null,
        int[]? inputShape = null, string? name = null, int groups = 1) : base(name, inputShape)
    {
        string who = $"Conv2D \"{Name}\"";
        if (filters <= 0)
            throw new ArgumentException($"{who}: invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}.", nameof(filters));
        Filters = filters;
        Groups = ConvArguments.Groups(who, groups, filters);
        KernelSize = ConvArguments.Tuple(who, "kernel_size", kernelSize ?? throw new ArgumentNullException(nameof(kernelSize)), 2, 1);
        Strides = ConvArguments.Tuple(who, "strides", strides, 2, 1);
        DilationRate = ConvArguments.Tuple(who, "dilation_rate", dilationRate, 2, 1);
        ConvArguments.StridesWithDilation(who, Strides, DilationRate);
        Padding = Backends.Padding.Parse(padding, who);
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        _kernelInitializer = kernelInitializer ?? new GlorotUniform();
        _biasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>A convolution with a square <paramref name="kernelSize"/> window and equal strides and dilation on both axes.</summary>
    public Conv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", int dilationRate = 1,
        ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizers.Regularizer? kernelRegularizer = null, Regularizers.Regularizer? biasRegularizer = null,
        int[]? inputShape = null, string? name = null, int groups = 1)
        : this(filters, [kernelSize], [strides], padding, [dilationRate], activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, inputShape, name, groups) { }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>(height, width) of the window.</summary>
    public int[] KernelSize { get; }
    /// <summary>(height, width) steps between windows.</summary>
    public int[] Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>(height, width) spacing of the window's taps.</summary>
    public int[] DilationRate { get; }
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
    /// <summary>(kernel_h, kernel_w, in_channels/groups, filters); null before Build.</summary>
    public Variable? Kernel { get; private set; }
    /// <summary>(filters); null before Build or without bias.</summary>
    public Variable? Bias { get; private set; }

    internal ConvSpec Spec => new(KernelSize[0], KernelSize[1], Strides[0], Strides[1], DilationRate[0], DilationRate[1], Padding);

    internal override IEnumerable<(Variable Variable, Regularizers.Regularizer Regularizer)> Regularized
        => KernelAndBiasPenalties(Kernel, KernelRegularizer, Bias, BiasRegularizer);

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        ConvArguments.RequireGroupedChannels(this, Groups, inputShape);
        if (Kernel != null && Kernel.Shape[2] * Groups != inputShape[2])
            throw new ArgumentException($"Input 0 of layer \"{Name}\" (Conv2D) is incompatible with the layer: expected axis -1 of input shape to have value {Kernel.Shape[2] * Groups} (the kernel's input channels), but received input with shape {ConvArguments.Batched(inputShape)}.", nameof(inputShape));
        var (h, w) = ConvArguments.Output(this, inputShape, Spec);
        return [h, w, Filters];
    }

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        ComputeOutputShape(inputShape);
        Kernel = AddWeight("kernel", [KernelSize[0], KernelSize[1], inputShape[2] / Groups, Filters], _kernelInitializer);
        if (UseBias) Bias = AddWeight("bias", [Filters], _biasInitializer);
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        Node? bias = Bias == null ? null : ctx.Param(Bias);
        return Groups == 1 ? ConvArguments.Convolve(ctx.Graph, Activation, Spec, x, ctx.Param(Kernel!), bias)
            : ConvArguments.ConvolveGrouped(ctx.Graph, Activation, Spec, Groups, x, ctx.Param(Kernel!), bias);
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
