namespace SequentialNet.Callbacks;

/// <summary>
/// Sets the learning rate at the start of every epoch to <c>schedule(epoch, currentRate)</c> (Keras
/// <c>keras.callbacks.LearningRateScheduler</c>; <c>epoch</c> is 0-based). Fit copies the rate to the device
/// right after the epoch-begin hooks, so the whole epoch uses it. Each epoch's logs get "learning_rate", so it
/// appears in <see cref="History"/>, as in Keras.
/// <para>Difference from Keras: the rate is kept as a double on the host and used as float32 on the device;
/// Keras logs the float32 value, and so does this callback. A schedule that returns NaN, infinity or a
/// negative value is an error (Keras only checks that it is a float).</para>
/// </summary>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, double, double> _schedule;
    private readonly int _verbose;

    /// <summary>A schedule of the epoch (0-based) and the current learning rate.</summary>
    /// <param name="schedule">Returns the rate for the epoch.</param>
    /// <param name="verbose">1: print a line at each epoch; 0 (default): silent.</param>
    public LearningRateScheduler(Func<int, double, double> schedule, int verbose = 0)
    {
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule), "LearningRateScheduler: expected a schedule function (epoch, lr) => newLr. Received: null.");
        _verbose = verbose;
    }

    /// <summary>A schedule of the epoch (0-based) alone (Keras's older one-argument form).</summary>
    /// <param name="schedule">Returns the rate for the epoch.</param>
    /// <param name="verbose">1: print a line at each epoch; 0 (default): silent.</param>
    public LearningRateScheduler(Func<int, double> schedule, int verbose = 0)
        : this(Wrap(schedule), verbose) { }

    /// <summary>Where verbose lines go (standard output by default).</summary>
    public TextWriter Output { get; set; } = Console.Out;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var optimizer = RequireOptimizer();
        double lr = _schedule(epoch, (float)optimizer.LearningRate);
        if (!(lr >= 0) || double.IsInfinity(lr))
            throw new InvalidOperationException($"LearningRateScheduler: expected the schedule to return a finite learning rate >= 0. Received: {lr} at epoch {epoch}.");
        optimizer.LearningRate = lr;
        if (_verbose > 0) Output.WriteLine($"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {PythonFloatRepr.Repr(lr)}.");
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
        => AddLog(logs, "learning_rate", (float)RequireOptimizer().LearningRate);

    private Optimizers.Optimizer RequireOptimizer()
        => Model?.Optimizer ?? throw new InvalidOperationException("LearningRateScheduler: no compiled model is set; pass the callback to Fit.");

    private static Func<int, double, double> Wrap(Func<int, double> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return (epoch, _) => schedule(epoch);
    }
}
