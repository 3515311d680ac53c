using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>DepthwiseConv2D</c>, channels last: each input channel is convolved with its own
/// <c>depthMultiplier</c> filters, (batch, height, width, C) → (batch, out_height, out_width, C·depth_multiplier),
/// output channel c·depth_multiplier + m as in Keras; y = activation(depthwise(x, kernel) + bias). Kernel
/// (kernel_h, kernel_w, C, depth_multiplier) named "kernel" and bias (C·depth_multiplier), Keras 3's layout and
/// names; "valid"/"same" padding as TensorFlow pads. Both backends run it as a grouped convolution with one input
/// channel per group, computed directly (SIMD over the channels on the CPU, a thread per output on CUDA).
/// </summary>
public sealed class DepthwiseConv2D : Layer
{
    private readonly Initializer _depthwiseInitializer, _biasInitializer;

    /// <summary>A depthwise convolution with windows (h, w) (or one value for both).</summary>
    public DepthwiseConv2D(int[] kernelSize, int[]? strides = null, string padding = "valid", int depthMultiplier = 1, int[]? dilationRate = null,
        ActivationFunction? activation = null, bool useBias = true, Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizers.Regularizer? depthwiseRegularizer = null, Regularizers.Regularizer? biasRegularizer = null,
        int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        string who = $"DepthwiseConv2D \"{Name}\"";
        DepthMultiplier = DepthwiseSteps.Multiplier(who, depthMultiplier);
        KernelSize = ConvArguments.Tuple(who, "kernel_size", kernelSize ?? throw new ArgumentNullException(nameof(kernelSize)), 2, 1);
        Strides = ConvArguments.Tuple(who, "strides", strides, 2, 1);
        DilationRate = ConvArguments.Tuple(who, "dilation_rate", dilationRate, 2, 1);
        ConvArguments.StridesWithDilation(who, Strides, DilationRate);
        Padding = Backends.Padding.Parse(padding, who);
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        _depthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        _biasInitializer = biasInitializer ?? new Zeros();
        DepthwiseRegularizer = depthwiseRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>A depthwise convolution with a square <paramref name="kernelSize"/> window and equal strides and dilation on both axes.</summary>
    public DepthwiseConv2D(int kernelSize, int strides = 1, string padding = "valid", int depthMultiplier = 1, int dilationRate = 1,
        ActivationFunction? activation = null, bool useBias = true, Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizers.Regularizer? depthwiseRegularizer = null, Regularizers.Regularizer? biasRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : this([kernelSize], [strides], padding, depthMultiplier, [dilationRate], activation, useBias, depthwiseInitializer, biasInitializer,
            depthwiseRegularizer, biasRegularizer, inputShape, name) { }

    /// <summary>(height, width) of the window.</summary>
    public int[] KernelSize { get; }
    /// <summary>(height, width) steps between windows.</summary>
    public int[] Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>Filters per input channel.</summary>
    public int DepthMultiplier { get; }
    /// <summary>(height, width) spacing of the window's taps.</summary>
    public int[] DilationRate { get; }
    /// <summary>Applied after the bias.</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Penalty on the kernel added to the training loss; null: none.</summary>
    public Regularizers.Regularizer? DepthwiseRegularizer { get; }
    /// <summary>Penalty on the bias added to the training loss; null: none.</summary>
    public Regularizers.Regularizer? BiasRegularizer { get; }
    /// <summary>(kernel_h, kernel_w, in_channels, depth_multiplier); null before Build.</summary>
    public Variable? Kernel { get; private set; }
    /// <summary>(in_channels·depth_multiplier); null before Build or without bias.</summary>
    public Variable? Bias { get; private set; }

    internal ConvSpec Spec => new(KernelSize[0], KernelSize[1], Strides[0], Strides[1], DilationRate[0], DilationRate[1], Padding);

    internal override IEnumerable<(Variable Variable, Regularizers.Regularizer Regularizer)> Regularized
        => KernelAndBiasPenalties(Kernel, DepthwiseRegularizer, Bias, BiasRegularizer);

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        ConvArguments.RequireRank(this, inputShape, 2);
        DepthwiseSteps.RequireChannels(this, Kernel, inputShape);
        var (h, w) = ConvArguments.Output(this, inputShape, Spec);
        return [h, w, checked(inputShape[2] * DepthMultiplier)];
    }

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        int[] output = ComputeOutputShape(inputShape);
        Kernel = AddWeight("kernel", [KernelSize[0], KernelSize[1], inputShape[2], DepthMultiplier], _depthwiseInitializer);
        if (UseBias) Bias = AddWeight("bias", [output[2]], _biasInitializer);
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        var g = ctx.Graph;
        Node y = DepthwiseSteps.Apply(g, Spec, x, ctx.Param(Kernel!));
        if (Bias != null) y = g.BiasAdd(y, ctx.Param(Bias));
        return Activation.Apply(g, y);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["kernel_size"] = KernelSize;
        config["strides"] = Strides;
        config["padding"] = Padding;
        config["depth_multiplier"] = DepthMultiplier;
        config["data_format"] = "channels_last";
        config["dilation_rate"] = DilationRate;
        config["activation"] = Saving.ConfigValues.Activation(Activation);
        config["use_bias"] = UseBias;
        config["depthwise_initializer"] = Saving.ConfigValues.Initializer(_depthwiseInitializer);
        config["bias_initializer"] = Saving.ConfigValues.Initializer(_biasInitializer);
        config["depthwise_regularizer"] = Saving.ConfigValues.Regularizer(DepthwiseRegularizer);
        config["bias_regularizer"] = Saving.ConfigValues.Regularizer(BiasRegularizer);
        return config;
    }
}
