using SequentialNet.Backends;

namespace SequentialNet.Optimizers;

/// <summary>
/// Keras <c>CosineDecay</c> (SGDR without restarts). Without warmup: s = min(t, decaySteps),
/// lr = initial·((1 − alpha)·½(1 + cos(π·s/decaySteps)) + alpha). With <paramref name="warmupTarget"/>:
/// s = min(t, warmupSteps + decaySteps); while s &lt; warmupSteps the rate rises linearly from
/// initialLearningRate to warmupTarget, then decays from warmupTarget as above over s − warmupSteps.
/// </summary>
/// <param name="initialLearningRate">The rate at step 0.</param>
/// <param name="decaySteps">Steps to decay over, &gt; 0.</param>
/// <param name="alpha">Minimum rate as a fraction of the decayed-from rate; default 0.</param>
/// <param name="warmupTarget">The rate at the end of the warmup; null (default): no warmup.</param>
/// <param name="warmupSteps">Warmup length in steps; default 0.</param>
public sealed class CosineDecay(double initialLearningRate, int decaySteps, double alpha = 0.0, double? warmupTarget = null, int warmupSteps = 0)
    : LearningRateSchedule
{
    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; } = CheckRate(initialLearningRate, nameof(initialLearningRate), nameof(CosineDecay));
    /// <summary>Steps to decay over.</summary>
    public int DecaySteps { get; } = CheckDecaySteps(decaySteps, nameof(CosineDecay));
    /// <summary>Minimum rate as a fraction of the decayed-from rate.</summary>
    public double Alpha { get; } = CheckRate(alpha, nameof(alpha), nameof(CosineDecay));
    /// <summary>The rate at the end of the warmup; null: no warmup.</summary>
    public double? WarmupTarget { get; } = warmupTarget is { } w ? CheckRate(w, nameof(warmupTarget), nameof(CosineDecay)) : null;
    /// <summary>Warmup length in steps.</summary>
    public int WarmupSteps { get; } = warmupSteps >= 0 ? warmupSteps
        : throw new ArgumentException($"CosineDecay: expected warmupSteps >= 0. Received: warmupSteps={warmupSteps}.", nameof(warmupSteps));

    private protected override double Compute(long step) => ToDevice(null).Formula(step);

    internal override DeviceSchedule ToDevice((DeviceBuffer Boundaries, DeviceBuffer Values)? tables)
        => new(ScheduleKind.CosineDecay, InitialLearningRate, DecaySteps, 0, false, Alpha, WarmupTarget ?? double.NaN, WarmupSteps, null, null, 0);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["alpha"] = Alpha, ["name"] = Name,
        ["warmup_target"] = WarmupTarget, ["warmup_steps"] = WarmupSteps,
    };
}
