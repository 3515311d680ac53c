namespace SequentialNet.Callbacks;

/// <summary>
/// Multiplies the learning rate by <paramref name="factor"/> when the monitored value has not improved for
/// <paramref name="patience"/> epochs (Keras <c>keras.callbacks.ReduceLROnPlateau</c>, Keras 3 logic). An
/// epoch improves when the value beats the best by more than <paramref name="minDelta"/>; after a reduction,
/// <paramref name="cooldown"/> epochs pass before the wait counter runs again. The new rate is
/// <c>max(lr·factor, minLr)</c>, applied only while <c>lr &gt; minLr</c>, and takes effect from the next epoch
/// (Fit copies the rate to the device at each epoch start). Each epoch's logs get "learning_rate" (the rate
/// that epoch used), so it appears in <see cref="History"/>, as in Keras. State is reset at each Fit.
/// <para>Like Keras, "auto" mode maximizes when the monitor name contains "acc" and minimizes otherwise.
/// Differences from Keras: an unknown mode is an error (Keras warns and uses "auto"); a negative patience,
/// cooldown or minLr and a factor outside (0, 1) are errors (Keras checks only factor &lt; 1). A missing
/// monitored value writes a warning line to <see cref="Output"/>, as Keras does.</para>
/// </summary>
/// <param name="monitor">The logged value to watch (default "val_loss").</param>
/// <param name="factor">The factor the rate is multiplied by, 0 &lt; factor &lt; 1 (default 0.1).</param>
/// <param name="patience">Epochs without improvement before a reduction (default 10).</param>
/// <param name="verbose">1: print a line at each reduction; 0 (default): silent.</param>
/// <param name="mode">"auto" (default), "min" or "max".</param>
/// <param name="minDelta">The margin by which the best value must be beaten (default 1e-4).</param>
/// <param name="cooldown">Epochs after a reduction during which no wait is counted (default 0).</param>
/// <param name="minLr">The lower bound of the learning rate (default 0).</param>
public sealed class ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0,
    string mode = "auto", double minDelta = 1e-4, int cooldown = 0, double minLr = 0) : Callback
{
    private readonly bool _maximize = MonitorMode.Parse(nameof(ReduceLROnPlateau), mode)
        ?? (monitor ?? "").Contains("acc", StringComparison.Ordinal);

    /// <summary>The monitored log entry.</summary>
    public string Monitor { get; } = MonitorMode.CheckMonitor(nameof(ReduceLROnPlateau), monitor!);
    /// <summary>"auto", "min" or "max", as given.</summary>
    public string Mode { get; } = mode;
    /// <summary>The reduction factor.</summary>
    public double Factor { get; } = factor > 0 && factor < 1 ? factor
        : throw new ArgumentException($"ReduceLROnPlateau: expected 0 < factor < 1 (a factor >= 1.0 is not supported). Received: factor={factor}.", nameof(factor));
    /// <summary>Epochs without improvement before a reduction.</summary>
    public int Patience { get; } = patience >= 0 ? patience
        : throw new ArgumentException($"ReduceLROnPlateau: expected patience >= 0. Received: {patience}.", nameof(patience));
    /// <summary>The improvement margin.</summary>
    public double MinDelta { get; } = double.IsFinite(minDelta) ? minDelta
        : throw new ArgumentException($"ReduceLROnPlateau: expected a finite minDelta. Received: {minDelta}.", nameof(minDelta));
    /// <summary>Epochs of cooldown after a reduction.</summary>
    public int Cooldown { get; } = cooldown >= 0 ? cooldown
        : throw new ArgumentException($"ReduceLROnPlateau: expected cooldown >= 0. Received: {cooldown}.", nameof(cooldown));
    /// <summary>The lower bound of the learning rate.</summary>
    public double MinLr { get; } = minLr >= 0 && double.IsFinite(minLr) ? minLr
        : throw new ArgumentException($"ReduceLROnPlateau: expected a finite minLr >= 0. Received: {minLr}.", nameof(minLr));

    /// <summary>Epochs since the last improvement (Keras <c>wait</c>).</summary>
    public int Wait { get; private set; }
    /// <summary>Cooldown epochs left.</summary>
    public int CooldownCounter { get; private set; }
    /// <summary>The best monitored value of this Fit (±infinity before the first).</summary>
    public double Best { get; private set; }
    /// <summary>Where verbose lines and warnings go (standard output by default).</summary>
    public TextWriter Output { get; set; } = Console.Out;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs)
    {
        Best = _maximize ? double.NegativeInfinity : double.PositiveInfinity;
        CooldownCounter = 0;
        Wait = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var optimizer = RequireOptimizer();
        AddLog(logs, "learning_rate", (float)optimizer.LearningRate);
        if (!logs.TryGetValue(Monitor, out double current))
        {
            Output.WriteLine(MonitorMode.MissingWarning("Learning rate reduction", Monitor, logs));
            return;
        }
        if (CooldownCounter > 0) { CooldownCounter--; Wait = 0; }
        if (IsImprovement(current)) { Best = current; Wait = 0; return; }
        if (CooldownCounter > 0) return;
        if (++Wait >= Patience) Reduce(epoch, optimizer);
    }

    private bool IsImprovement(double current) => _maximize ? current > Best + MinDelta : current < Best - MinDelta;

    private void Reduce(int epoch, Optimizers.Optimizer optimizer)
    {
        double old = optimizer.LearningRate;
        if (!(old > (float)MinLr)) return;
        double lr = Math.Max(old * Factor, MinLr);
        optimizer.LearningRate = lr;
        if (verbose > 0) Output.WriteLine($"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {PythonFloatRepr.Repr(lr)}.");
        CooldownCounter = Cooldown;
        Wait = 0;
    }

    private Optimizers.Optimizer RequireOptimizer()
        => Model?.Optimizer ?? throw new InvalidOperationException("ReduceLROnPlateau: no compiled model is set; pass the callback to Fit.");
}
