namespace SequentialNet.Backends;

/// <summary>Which Keras learning-rate schedule a <see cref="DeviceSchedule"/> evaluates.</summary>
public enum ScheduleKind
{
    /// <summary>lr = initial·rate^(t/decaySteps), the exponent floored when staircase.</summary>
    ExponentialDecay = 0,
    /// <summary>lr = values[number of boundaries b with t &gt; b].</summary>
    PiecewiseConstantDecay = 1,
    /// <summary>Cosine decay to alpha·initial, with an optional linear warmup.</summary>
    CosineDecay = 2,
    /// <summary>lr = initial / (1 + rate·t/decaySteps), the quotient floored when staircase.</summary>
    InverseTimeDecay = 3,
}

/// <summary>
/// A learning-rate schedule as the backends evaluate it on the device: the kind and its parameters, passed
/// by value (no allocation per step). Piecewise-constant tables live in device buffers uploaded once:
/// <see cref="Boundaries"/> (int, <see cref="Count"/> entries) and <see cref="Values"/> (float, Count + 1).
/// </summary>
/// <param name="Kind">The schedule's formula.</param>
/// <param name="InitialLearningRate">The rate at step 0 (cosine with warmup: the warmup's start).</param>
/// <param name="DecaySteps">Steps of one decay period (exponential, inverse time, cosine).</param>
/// <param name="DecayRate">Exponential base or inverse-time rate.</param>
/// <param name="Staircase">Floor t/decaySteps (exponential, inverse time).</param>
/// <param name="Alpha">Cosine: the final rate as a fraction of the peak.</param>
/// <param name="WarmupTarget">Cosine: the rate reached after the warmup; NaN: no warmup.</param>
/// <param name="WarmupSteps">Cosine: warmup length in steps.</param>
/// <param name="Boundaries">Piecewise: int buffer of step boundaries; null for other kinds.</param>
/// <param name="Values">Piecewise: float buffer of rates; null for other kinds.</param>
/// <param name="Count">Piecewise: number of boundaries.</param>
public readonly record struct DeviceSchedule(ScheduleKind Kind, double InitialLearningRate, int DecaySteps, double DecayRate, bool Staircase,
    double Alpha, double WarmupTarget, int WarmupSteps, DeviceBuffer? Boundaries, DeviceBuffer? Values, int Count)
{
    /// <summary>
    /// The formula, in float64, at <paramref name="step"/> (the iterations before the update), for every
    /// kind except the piecewise table, which the caller looks up. Kept in step with
    /// <c>lr_schedule_f32</c> in kernels/optim.cu.
    /// </summary>
    public double Formula(long step)
    {
        double t = step;
        switch (Kind)
        {
            case ScheduleKind.ExponentialDecay:
            {
                double p = t / DecaySteps;
                if (Staircase) p = Math.Floor(p);
                return InitialLearningRate * Math.Pow(DecayRate, p);
            }
            case ScheduleKind.InverseTimeDecay:
            {
                double p = t / DecaySteps;
                if (Staircase) p = Math.Floor(p);
                return InitialLearningRate / (1.0 + DecayRate * p);
            }
            case ScheduleKind.CosineDecay:
            {
                if (double.IsNaN(WarmupTarget)) return Cosine(Math.Min(t, DecaySteps), InitialLearningRate);
                t = Math.Min(t, (double)DecaySteps + WarmupSteps);
                if (t < WarmupSteps) return (WarmupTarget - InitialLearningRate) * (t / WarmupSteps) + InitialLearningRate;
                return Cosine(t - WarmupSteps, WarmupTarget);
            }
            default:
                throw new InvalidOperationException($"DeviceSchedule: the {Kind} rate is a table lookup, not a formula.");
        }
    }

    private double Cosine(double t, double from)
    {
        double cosineDecayed = 0.5 * (1.0 + Math.Cos(Math.PI * (t / DecaySteps)));
        return from * ((1.0 - Alpha) * cosineDecayed + Alpha);
    }

    /// <summary>The piecewise tables, checked: an int buffer of at least Count boundaries, a float buffer of Count + 1 values.</summary>
    /// <exception cref="ArgumentException">A table missing, of the wrong type or too short.</exception>
    public (DeviceBuffer Boundaries, DeviceBuffer Values) RequireTables()
    {
        const string who = "ScheduleLearningRate";
        if (Boundaries is not { IsInt: true } boundaries || boundaries.Length < Count || Count < 0)
            throw new ArgumentException($"{who}: a piecewise-constant schedule needs an int buffer of {Count} boundaries. Received: {Describe(Boundaries)}.", "schedule");
        if (Values is not { IsInt: false } values || values.Length < Count + 1)
            throw new ArgumentException($"{who}: a piecewise-constant schedule needs a float buffer of {Count + 1} values. Received: {Describe(Values)}.", "schedule");
        return (boundaries, values);
    }

    private static string Describe(DeviceBuffer? b) => b == null ? "null" : $"{(b.IsInt ? "an int" : "a float")} buffer of {b.Length}";
}
