using SequentialNet;
using SequentialNet.Initializers;
using SequentialNet.Layers;

namespace CustomLayerExample;

/// <summary>
/// y = activation(g·(x·W + b)): a Dense layer with a trainable scalar gain g, written with the public
/// custom-layer API only. g is a (1, 1) weight applied to every element as a 1×1 MatMul.
/// </summary>
public sealed class ScaledDense(int units, ActivationFunction? activation = null, float initialGain = 1f, int[]? inputShape = null, string? name = null)
    : Layer(name, inputShape)
{
    private Variable? _kernel, _bias, _gain;

    /// <summary>Output width.</summary>
    public int Units { get; } = units > 0 ? units : throw new ArgumentException($"ScaledDense: expected units > 0. Received: units={units}.", nameof(units));

    /// <summary>Activation applied last.</summary>
    public ActivationFunction Activation { get; } = activation ?? Activations.Linear;

    /// <summary>Starting value of the gain.</summary>
    public float InitialGain { get; } = initialGain;

    /// <summary>The trained gain (null before the layer is built).</summary>
    public float? Gain => _gain?.ToTensor().Data[0];

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        _kernel = AddWeight("kernel", [inputShape[^1], Units], new GlorotUniform());
        _bias = AddWeight("bias", [Units], new Zeros());
        _gain = AddWeight("gain", [1, 1], new Constant(InitialGain));
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => [.. inputShape[..^1], Units];

    /// <inheritdoc/>
    public override SymbolicTensor Call(SymbolicTensor inputs, bool training)
    {
        SymbolicTensor y = inputs.MatMul(_kernel!).Add(_bias!);
        int[] shape = y.Shape;
        y = y.Reshape([.. shape, 1]).MatMul(_gain!).Reshape(shape);
        return y.Apply(Activation);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["units"] = Units;
        config["activation"] = Activation;
        config["initial_gain"] = InitialGain;
        return config;
    }
}
