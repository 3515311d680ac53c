using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>Conv2DTranspose</c> (a "deconvolution"), channels last: (batch, height, width, channels) →
/// (batch, out_height, out_width, filters), y = activation(conv_transpose(x, kernel) + bias). Kernel
/// (kernel_h, kernel_w, filters, in_channels) — Keras's layout, output filters before input channels — and bias
/// (filters). The output size per axis is Keras's <c>deconv_output_length</c> (<see cref="Backends.TransposedPadding"/>):
/// stride 2 "same" doubles the size. The values are TensorFlow's conv2d_transpose: the input gradient of the
/// convolution that maps the output back onto the input, so every backend runs it on its convolution passes.
/// </summary>
public sealed class Conv2DTranspose : Layer
{
    private readonly Initializer _kernelInitializer, _biasInitializer;

    /// <summary>A transposed convolution with windows (h, w) (or one value for both); <paramref name="outputPadding"/> null: inferred, as in Keras.</summary>
    public Conv2DTranspose(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", int[]? outputPadding = null, int[]? dilationRate = null,
        ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizers.Regularizer? kernelRegularizer = null, Regularizers.Regularizer? biasRegularizer = null,
        int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        string who = $"Conv2DTranspose \"{Name}\"";
        if (filters <= 0)
            throw new ArgumentException($"{who}: invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}.", nameof(filters));
        Filters = filters;
        KernelSize = ConvArguments.Tuple(who, "kernel_size", kernelSize ?? throw new ArgumentNullException(nameof(kernelSize)), 2, 1);
        Strides = ConvArguments.Tuple(who, "strides", strides, 2, 1);
        DilationRate = ConvArguments.Tuple(who, "dilation_rate", dilationRate, 2, 1);
        ConvArguments.StridesWithDilation(who, Strides, DilationRate);
        Padding = Backends.Padding.Parse(padding, who);
        OutputPadding = outputPadding == null ? null : OutputPaddingTuple(who, outputPadding, Strides);
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        _kernelInitializer = kernelInitializer ?? new GlorotUniform();
        _biasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>A transposed convolution with a square <paramref name="kernelSize"/> window and equal strides, output padding and dilation on both axes.</summary>
    public Conv2DTranspose(int filters, int kernelSize, int strides = 1, string padding = "valid", int? outputPadding = null, int dilationRate = 1,
        ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizers.Regularizer? kernelRegularizer = null, Regularizers.Regularizer? biasRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : this(filters, [kernelSize], [strides], padding, outputPadding == null ? null : [outputPadding.Value], [dilationRate], activation, useBias,
            kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, inputShape, name) { }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>(height, width) of the window.</summary>
    public int[] KernelSize { get; }
    /// <summary>(height, width) steps between windows (the upsampling factor).</summary>
    public int[] Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>(height, width) cells added to the output's far side, each &lt; its stride; null: inferred (Keras's None).</summary>
    public int[]? OutputPadding { get; }
    /// <summary>(height, width) spacing of the window's taps.</summary>
    public int[] DilationRate { get; }
    /// <summary>Applied after the bias.</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Penalty on the kernel added to the training loss; null: none.</summary>
    public Regularizers.Regularizer? KernelRegularizer { get; }
    /// <summary>Penalty on the bias added to the training loss; null: none.</summary>
    public Regularizers.Regularizer? BiasRegularizer { get; }
    /// <summary>(kernel_h, kernel_w, filters, in_channels); null before Build.</summary>
    public Variable? Kernel { get; private set; }
    /// <summary>(filters); null before Build or without bias.</summary>
    public Variable? Bias { get; private set; }

    internal ConvSpec Spec => new(KernelSize[0], KernelSize[1], Strides[0], Strides[1], DilationRate[0], DilationRate[1], Padding);

    internal override IEnumerable<(Variable Variable, Regularizers.Regularizer Regularizer)> Regularized
        => KernelAndBiasPenalties(Kernel, KernelRegularizer, Bias, BiasRegularizer);

    /// <summary>Keras: an int or 2 ints ≥ 0, each smaller than its stride.</summary>
    private static int[] OutputPaddingTuple(string who, int[] value, int[] strides)
    {
        int[] padding = value.Length == 1 ? [value[0], value[0]] : (int[])value.Clone();
        if (padding.Length != 2 || padding.Any(p => p < 0))
            throw new ArgumentException($"{who}: the `output_padding` argument must be a tuple of 2 integers >= 0. Received: output_padding={ConvArguments.Describe(value)}.", "outputPadding");
        if (padding[0] >= strides[0] || padding[1] >= strides[1])
            throw new ArgumentException($"{who}: `output_padding` must be strictly less than `strides`. Received: strides={ConvArguments.Describe(strides)}, output_padding={ConvArguments.Describe(padding)}.", "outputPadding");
        return padding;
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        if (Kernel != null && Kernel.Shape[3] != inputShape[2])
            throw new ArgumentException($"Input 0 of layer \"{Name}\" (Conv2DTranspose) is incompatible with the layer: expected axis -1 of input shape to have value {Kernel.Shape[3]} (the kernel's input channels), but received input with shape {ConvArguments.Batched(inputShape)}.", nameof(inputShape));
        int h = OutputLength(inputShape, 0, "height"), w = OutputLength(inputShape, 1, "width");
        var (backH, backW) = ConvArguments.Output(this, [h, w, Filters], Spec);
        if (backH != inputShape[0] || backW != inputShape[1])
            throw new ArgumentException($"Layer \"{Name}\" (Conv2DTranspose) with input shape {ConvArguments.Batched(inputShape)}: output_padding={ConvArguments.Describe(OutputPadding ?? [0])} with padding=\"{Padding}\" and kernel_size={ConvArguments.Describe(KernelSize)} gives an output of ({h}, {w}), whose convolution is ({backH}, {backW}), not the input's ({inputShape[0]}, {inputShape[1]}). Expected an output_padding that TensorFlow's conv2d_transpose accepts (e.g. 1 with an even kernel and padding=\"same\").", nameof(inputShape));
        return [h, w, Filters];
    }

    private int OutputLength(int[] inputShape, int axis, string name)
    {
        long length = Backends.TransposedPadding.Length(Padding, inputShape[axis], KernelSize[axis], Strides[axis], DilationRate[axis], OutputPadding?[axis] ?? -1);
        if (length < 1 || length > int.MaxValue)
            throw new ArgumentException($"Layer \"{Name}\" (Conv2DTranspose) with input shape {ConvArguments.Batched(inputShape)}: the computed output {name} would be {length}. Expected an output {name} between 1 and {int.MaxValue}.", nameof(inputShape));
        return (int)length;
    }

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        ComputeOutputShape(inputShape);
        Kernel = AddWeight("kernel", [KernelSize[0], KernelSize[1], Filters, inputShape[2]], _kernelInitializer);
        if (UseBias) Bias = AddWeight("bias", [Filters], _biasInitializer);
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        int[] output = ComputeOutputShape(x.Shape);
        var g = ctx.Graph;
        Node y = Conv2DTransposeOp.Emit(g, Spec, x, ctx.Param(Kernel!), output[0], output[1]);
        if (Bias != null) y = g.BiasAdd(y, ctx.Param(Bias));
        return Activation.Apply(g, y);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["filters"] = Filters;
        config["kernel_size"] = KernelSize;
        config["strides"] = Strides;
        config["padding"] = Padding;
        config["output_padding"] = OutputPadding;
        config["data_format"] = "channels_last";
        config["dilation_rate"] = DilationRate;
        Saving.ConfigValues.AddKernelAndBias(config, Activation, UseBias, _kernelInitializer, _biasInitializer, KernelRegularizer, BiasRegularizer);
        return config;
    }
}
