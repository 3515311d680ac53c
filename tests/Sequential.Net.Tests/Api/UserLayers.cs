using SequentialNet.Initializers;
using SequentialNet.Layers;

namespace SequentialNet.Tests.Api;

/// <summary>
/// A user's layer written with public API only: y = activation(g·(x·W + b)) with a trainable scalar gain g
/// (a (1, 1) weight applied as a per-element 1×1 MatMul, since the public ops have no scalar broadcast).
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
        y = y.Reshape([.. shape, 1]).MatMul(_gain!).Reshape(shape);   // g·y, element by element
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

/// <summary>x·sigmoid(x) − 0.5·x, no weights: the elementwise operators.</summary>
public sealed class HalfSwish(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    /// <inheritdoc/>
    public override SymbolicTensor Call(SymbolicTensor inputs, bool training)
        => inputs * inputs.Apply("sigmoid") + inputs * 0.5f - inputs;
}

/// <summary>A Dense whose kernel is the product of two weights, U·V: <see cref="SymbolicTensor.Weight"/>.</summary>
public sealed class LowRankDense(int units, int rank, string? name = null) : Layer(name)
{
    private Variable? _u, _v;

    /// <summary>Output width.</summary>
    public int Units { get; } = units;
    /// <summary>Inner dimension of U·V.</summary>
    public int Rank { get; } = rank;

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        _u = AddWeight("u", [inputShape[^1], Rank], new GlorotUniform());
        _v = AddWeight("v", [Rank, Units], new GlorotUniform());
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => [.. inputShape[..^1], Units];

    /// <inheritdoc/>
    public override SymbolicTensor Call(SymbolicTensor inputs, bool training)
        => inputs.MatMul(inputs.Weight(_u!).MatMul(_v!));

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["units"] = Units; config["rank"] = Rank;
        return config;
    }
}

/// <summary>Forgets to override Call.</summary>
public sealed class NoCall(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;
}

/// <summary>Returns a shape other than the one it declares.</summary>
public sealed class WrongShape(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    /// <inheritdoc/>
    public override SymbolicTensor Call(SymbolicTensor inputs, bool training) => inputs.Reshape(inputs.Shape[0], 1);
}
