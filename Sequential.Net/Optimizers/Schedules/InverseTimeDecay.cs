using SequentialNet.Backends;

namespace SequentialNet.Optimizers;

/// <summary>
/// Keras <c>InverseTimeDecay</c>: lr(t) = initialLearningRate / (1 + decayRate · t / decaySteps), with
/// t / decaySteps floored when <paramref name="staircase"/>.
/// </summary>
/// <param name="initialLearningRate">The rate at step 0.</param>
/// <param name="decaySteps">Steps per decay period, &gt; 0.</param>
/// <param name="decayRate">The rate of decay.</param>
/// <param name="staircase">Decay in whole periods; default false.</param>
public sealed class InverseTimeDecay(double initialLearningRate, int decaySteps, double decayRate, bool staircase = false) : LearningRateSchedule
{
    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; } = CheckRate(initialLearningRate, nameof(initialLearningRate), nameof(InverseTimeDecay));
    /// <summary>Steps per decay period.</summary>
    public int DecaySteps { get; } = CheckDecaySteps(decaySteps, nameof(InverseTimeDecay));
    /// <summary>The rate of decay.</summary>
    public double DecayRate { get; } = CheckRate(decayRate, nameof(decayRate), nameof(InverseTimeDecay));
    /// <summary>Whether t / decaySteps is floored.</summary>
    public bool Staircase { get; } = staircase;

    private protected override double Compute(long step) => ToDevice(null).Formula(step);

    internal override DeviceSchedule ToDevice((DeviceBuffer Boundaries, DeviceBuffer Values)? tables)
        => new(ScheduleKind.InverseTimeDecay, InitialLearningRate, DecaySteps, DecayRate, Staircase, 0, double.NaN, 0, null, null, 0);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["decay_rate"] = DecayRate,
        ["staircase"] = Staircase, ["name"] = Name,
    };
}
