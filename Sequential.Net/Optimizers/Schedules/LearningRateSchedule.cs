using System.Globalization;
using SequentialNet.Backends;

namespace SequentialNet.Optimizers;

/// <summary>
/// A learning rate that changes every optimizer step (Keras <c>keras.optimizers.schedules</c>). Pass one
/// wherever an optimizer takes a learning rate: <c>new SGD(new ExponentialDecay(0.1, 1000, 0.96))</c>. The
/// rate of a step is the schedule at the optimizer's iterations before that step, as in Keras, and it is
/// computed on the device before each update, so a recorded (captured) training step replays it with no
/// host input. An optimizer built with a schedule refuses a new <see cref="Optimizer.LearningRate"/>, so
/// ReduceLROnPlateau and LearningRateScheduler cannot be combined with it (Keras refuses too).
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Keras class name, also the default <c>name</c> of the config.</summary>
    public string Name => GetType().Name;

    /// <summary>The learning rate at <paramref name="step"/> (iterations done), in float64: the reference the device follows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative step.</exception>
    public double Evaluate(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, $"{Name}: expected step >= 0. Received: {step}.");
        return Compute(step);
    }

    /// <summary>The formula at a non-negative step.</summary>
    private protected abstract double Compute(long step);

    /// <summary>Keras-style configuration (the constructor's arguments by Keras name, and <c>name</c>).</summary>
    public abstract Dictionary<string, object?> GetConfig();

    /// <summary>The device form; <paramref name="tables"/> are the buffers from <see cref="UploadTables"/> (null when it has none).</summary>
    internal abstract DeviceSchedule ToDevice((DeviceBuffer Boundaries, DeviceBuffer Values)? tables);

    /// <summary>Device tables the schedule reads (piecewise constant), uploaded once per compiled model; null: none.</summary>
    internal virtual (DeviceBuffer Boundaries, DeviceBuffer Values)? UploadTables(IBackend backend) => null;

    /// <summary>Throws unless decaySteps &gt; 0 (Keras's check).</summary>
    private protected static int CheckDecaySteps(int decaySteps, string owner)
        => decaySteps > 0 ? decaySteps
            : throw new ArgumentException($"{owner}: argument `decaySteps` must be > 0. Received: decaySteps={decaySteps}.", nameof(decaySteps));

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt;= 0.</summary>
    private protected static double CheckRate(double value, string name, string owner)
        => double.IsFinite(value) && value >= 0 ? value
            : throw new ArgumentException($"{owner}: expected {name} to be a finite number >= 0. Received: {value.ToString(CultureInfo.InvariantCulture)}.", name);
}
