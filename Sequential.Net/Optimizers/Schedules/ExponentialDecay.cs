using SequentialNet.Backends;

namespace SequentialNet.Optimizers;

/// <summary>
/// Keras <c>ExponentialDecay</c>: lr(t) = initialLearningRate · decayRate^(t / decaySteps), with the
/// exponent floored when <paramref name="staircase"/> (the rate drops once per decaySteps steps).
/// </summary>
/// <param name="initialLearningRate">The rate at step 0.</param>
/// <param name="decaySteps">Steps per decay period, &gt; 0.</param>
/// <param name="decayRate">The factor per period.</param>
/// <param name="staircase">Decay in whole periods; default false.</param>
public sealed class ExponentialDecay(double initialLearningRate, int decaySteps, double decayRate, bool staircase = false) : LearningRateSchedule
{
    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; } = CheckRate(initialLearningRate, nameof(initialLearningRate), nameof(ExponentialDecay));
    /// <summary>Steps per decay period.</summary>
    public int DecaySteps { get; } = CheckDecaySteps(decaySteps, nameof(ExponentialDecay));
    /// <summary>The factor per period.</summary>
    public double DecayRate { get; } = CheckRate(decayRate, nameof(decayRate), nameof(ExponentialDecay));
    /// <summary>Whether the exponent is floored.</summary>
    public bool Staircase { get; } = staircase;

    private protected override double Compute(long step) => ToDevice(null).Formula(step);

    internal override DeviceSchedule ToDevice((DeviceBuffer Boundaries, DeviceBuffer Values)? tables)
        => new(ScheduleKind.ExponentialDecay, InitialLearningRate, DecaySteps, DecayRate, Staircase, 0, double.NaN, 0, null, null, 0);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["decay_rate"] = DecayRate,
        ["staircase"] = Staircase, ["name"] = Name,
    };
}
