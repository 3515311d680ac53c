using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>SeparableConv2D</c>, channels last: a depthwise convolution (each input channel with its own
/// <c>depthMultiplier</c> filters, strides, dilation and padding applied here) followed by a 1 × 1 pointwise
/// convolution into <c>filters</c> channels, y = activation(pointwise(depthwise(x)) + bias). Weights named as in
/// Keras 3: depthwise_kernel (kernel_h, kernel_w, in, depth_multiplier), pointwise_kernel
/// (1, 1, in·depth_multiplier, filters) and bias (filters). The depthwise step runs on the grouped-convolution
/// primitive, the pointwise step on the Conv2D GEMM path with bias and relu in its epilogue.
/// </summary>
public sealed class SeparableConv2D : Layer
{
    private readonly Initializer _depthwiseInitializer, _pointwiseInitializer, _biasInitializer;

    /// <summary>A separable convolution with windows (h, w) (or one value for both).</summary>
    public SeparableConv2D(int filters, int[] kernelSize, int[]? strides = null, string padding = "valid", int[]? dilationRate = null, int depthMultiplier = 1,
        ActivationFunction? activation = null, bool useBias = true,
        Initializer? depthwiseInitializer = null, Initializer? pointwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizers.Regularizer? depthwiseRegularizer = null, Regularizers.Regularizer? pointwiseRegularizer = null, Regularizers.Regularizer? biasRegularizer = null,
        int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        string who = $"SeparableConv2D \"{Name}\"";
        if (filters <= 0)
            throw new ArgumentException($"{who}: invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}.", nameof(filters));
        Filters = filters;
        DepthMultiplier = DepthwiseSteps.Multiplier(who, depthMultiplier);
        KernelSize = ConvArguments.Tuple(who, "kernel_size", kernelSize ?? throw new ArgumentNullException(nameof(kernelSize)), 2, 1);
        Strides = ConvArguments.Tuple(who, "strides", strides, 2, 1);
        DilationRate = ConvArguments.Tuple(who, "dilation_rate", dilationRate, 2, 1);
        ConvArguments.StridesWithDilation(who, Strides, DilationRate);
        Padding = Backends.Padding.Parse(padding, who);
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        _depthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        _pointwiseInitializer = pointwiseInitializer ?? new GlorotUniform();
        _biasInitializer = biasInitializer ?? new Zeros();
        DepthwiseRegularizer = depthwiseRegularizer;
        PointwiseRegularizer = pointwiseRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>A separable convolution with a square <paramref name="kernelSize"/> window and equal strides and dilation on both axes.</summary>
    public SeparableConv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", int dilationRate = 1, int depthMultiplier = 1,
        ActivationFunction? activation = null, bool useBias = true,
        Initializer? depthwiseInitializer = null, Initializer? pointwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizers.Regularizer? depthwiseRegularizer = null, Regularizers.Regularizer? pointwiseRegularizer = null, Regularizers.Regularizer? biasRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : this(filters, [kernelSize], [strides], padding, [dilationRate], depthMultiplier, activation, useBias, depthwiseInitializer, pointwiseInitializer,
            biasInitializer, depthwiseRegularizer, pointwiseRegularizer, biasRegularizer, inputShape, name) { }

    /// <summary>Output channels (of the pointwise step).</summary>
    public int Filters { get; }
    /// <summary>(height, width) of the depthwise window.</summary>
    public int[] KernelSize { get; }
    /// <summary>(height, width) steps between depthwise windows.</summary>
    public int[] Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>(height, width) spacing of the depthwise window's taps.</summary>
    public int[] DilationRate { get; }
    /// <summary>Depthwise filters per input channel.</summary>
    public int DepthMultiplier { get; }
    /// <summary>Applied after the bias.</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Penalty on the depthwise kernel; null: none.</summary>
    public Regularizers.Regularizer? DepthwiseRegularizer { get; }
    /// <summary>Penalty on the pointwise kernel; null: none.</summary>
    public Regularizers.Regularizer? PointwiseRegularizer { get; }
    /// <summary>Penalty on the bias; null: none.</summary>
    public Regularizers.Regularizer? BiasRegularizer { get; }
    /// <summary>(kernel_h, kernel_w, in_channels, depth_multiplier); null before Build.</summary>
    public Variable? DepthwiseKernel { get; private set; }
    /// <summary>(1, 1, in_channels·depth_multiplier, filters); null before Build.</summary>
    public Variable? PointwiseKernel { get; private set; }
    /// <summary>(filters); null before Build or without bias.</summary>
    public Variable? Bias { get; private set; }

    internal ConvSpec Spec => new(KernelSize[0], KernelSize[1], Strides[0], Strides[1], DilationRate[0], DilationRate[1], Padding);

    private static readonly ConvSpec Pointwise = new(1, 1, 1, 1, 1, 1, "valid");

    internal override IEnumerable<(Variable Variable, Regularizers.Regularizer Regularizer)> Regularized
    {
        get
        {
            if (DepthwiseKernel != null && DepthwiseRegularizer != null) yield return (DepthwiseKernel, DepthwiseRegularizer);
            foreach (var penalty in KernelAndBiasPenalties(PointwiseKernel, PointwiseRegularizer, Bias, BiasRegularizer)) yield return penalty;
        }
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        DepthwiseSteps.RequireChannels(this, DepthwiseKernel, inputShape);
        var (h, w) = ConvArguments.Output(this, inputShape, Spec);
        return [h, w, Filters];
    }

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        ComputeOutputShape(inputShape);
        int c = inputShape[2];
        DepthwiseKernel = AddWeight("depthwise_kernel", [KernelSize[0], KernelSize[1], c, DepthMultiplier], _depthwiseInitializer);
        PointwiseKernel = AddWeight("pointwise_kernel", [1, 1, checked(c * DepthMultiplier), Filters], _pointwiseInitializer);
        if (UseBias) Bias = AddWeight("bias", [Filters], _biasInitializer);
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        var g = ctx.Graph;
        Node depthwise = DepthwiseSteps.Apply(g, Spec, x, ctx.Param(DepthwiseKernel!));
        return ConvArguments.Convolve(g, Activation, Pointwise, depthwise, ctx.Param(PointwiseKernel!), Bias == null ? null : ctx.Param(Bias));
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
        config["depth_multiplier"] = DepthMultiplier;
        config["activation"] = Saving.ConfigValues.Activation(Activation);
        config["use_bias"] = UseBias;
        config["depthwise_initializer"] = Saving.ConfigValues.Initializer(_depthwiseInitializer);
        config["pointwise_initializer"] = Saving.ConfigValues.Initializer(_pointwiseInitializer);
        config["bias_initializer"] = Saving.ConfigValues.Initializer(_biasInitializer);
        config["depthwise_regularizer"] = Saving.ConfigValues.Regularizer(DepthwiseRegularizer);
        config["pointwise_regularizer"] = Saving.ConfigValues.Regularizer(PointwiseRegularizer);
        config["bias_regularizer"] = Saving.ConfigValues.Regularizer(BiasRegularizer);
        return config;
    }
}
