namespace SequentialNet.Callbacks;

/// <summary>
/// Stops training when the monitored value has stopped improving (Keras <c>keras.callbacks.EarlyStopping</c>,
/// Keras 3 logic). An epoch improves when <c>current − minDelta</c> beats the best value so far (for a value
/// that is minimized: <c>current + minDelta &lt; best</c>); the first watched epoch always improves. The wait
/// counter grows each epoch and returns to 0 on an improvement that also beats <paramref name="baseline"/>;
/// training stops when it reaches <paramref name="patience"/> (never after the first epoch). State is reset at
/// each Fit, so one instance may be reused.
/// <para>Like Keras 3 (not Keras 2), <paramref name="restoreBestWeights"/> restores the best epoch's weights
/// at the end of training whether or not training was stopped early.</para>
/// <para>Differences from Keras: an unknown mode is an error (Keras warns and uses "auto"); a negative
/// patience or startFromEpoch is an error. A missing monitored value writes a warning line to
/// <see cref="Output"/> and skips the epoch, as Keras does.</para>
/// </summary>
/// <param name="monitor">The logged value to watch (default "val_loss").</param>
/// <param name="minDelta">The smallest change that counts as an improvement (default 0; its sign is ignored).</param>
/// <param name="patience">Epochs without improvement before stopping (default 0).</param>
/// <param name="verbose">1: print "Epoch N: early stopping" and the restore line; 0 (default): silent.</param>
/// <param name="mode">"auto" (default: min for names ending in "loss", else the compiled metric's direction), "min" or "max".</param>
/// <param name="baseline">A value the monitored value must beat before the wait counter resets (default none).</param>
/// <param name="restoreBestWeights">Restore the weights of the best epoch at the end of training (default false).</param>
/// <param name="startFromEpoch">Epochs (0-based index) before which nothing is watched, a warm-up (default 0).</param>
public sealed class EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, int verbose = 0,
    string mode = "auto", double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0) : Callback
{
    private readonly bool? _modeMaximize = MonitorMode.Parse(nameof(EarlyStopping), mode);
    private bool? _maximize;
    private Tensor[]? _bestWeights;

    /// <summary>The monitored log entry.</summary>
    public string Monitor { get; } = MonitorMode.CheckMonitor(nameof(EarlyStopping), monitor);
    /// <summary>"auto", "min" or "max", as given.</summary>
    public string Mode { get; } = mode;
    /// <summary>The smallest improvement (absolute value of the argument).</summary>
    public double MinDelta { get; } = double.IsFinite(minDelta) ? Math.Abs(minDelta)
        : throw new ArgumentException($"EarlyStopping: expected a finite minDelta. Received: {minDelta}.", nameof(minDelta));
    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; } = patience >= 0 ? patience
        : throw new ArgumentException($"EarlyStopping: expected patience >= 0. Received: {patience}.", nameof(patience));
    /// <summary>The value to beat, or null.</summary>
    public double? Baseline { get; } = baseline;
    /// <summary>Whether the best epoch's weights are restored at the end of training.</summary>
    public bool RestoreBestWeights { get; } = restoreBestWeights;
    /// <summary>The first epoch (0-based) that is watched.</summary>
    public int StartFromEpoch { get; } = startFromEpoch >= 0 ? startFromEpoch
        : throw new ArgumentException($"EarlyStopping: expected startFromEpoch >= 0. Received: {startFromEpoch}.", nameof(startFromEpoch));

    /// <summary>Epochs since the last improvement (Keras <c>wait</c>).</summary>
    public int Wait { get; private set; }
    /// <summary>The epoch (0-based) at which training was stopped, or 0 when it was not.</summary>
    public int StoppedEpoch { get; private set; }
    /// <summary>The best monitored value of this Fit, or null before the first watched epoch.</summary>
    public double? Best { get; private set; }
    /// <summary>The epoch (0-based) of <see cref="Best"/>.</summary>
    public int BestEpoch { get; private set; }
    /// <summary>Where verbose lines and warnings go (standard output by default).</summary>
    public TextWriter Output { get; set; } = Console.Out;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs)
    {
        Wait = 0; StoppedEpoch = 0; Best = null; BestEpoch = 0; _bestWeights = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        _maximize ??= _modeMaximize ?? MonitorMode.ResolveMaximize(nameof(EarlyStopping), Monitor, Model);
        if (!logs.TryGetValue(Monitor, out double current))
        {
            Output.WriteLine(MonitorMode.MissingWarning("Early stopping", Monitor, logs));
            return;
        }
        if (epoch < StartFromEpoch) return;
        if (RestoreBestWeights && _bestWeights == null) Remember(epoch);
        Wait++;
        if (IsImprovement(current, Best))
        {
            Best = current;
            if (RestoreBestWeights) Remember(epoch);
            BestEpoch = epoch;
            if (Baseline == null || IsImprovement(current, Baseline)) Wait = 0;
            return;
        }
        if (Wait >= Patience && epoch > 0) Stop(epoch);
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs)
    {
        if (StoppedEpoch > 0 && verbose > 0) Output.WriteLine($"Epoch {StoppedEpoch + 1}: early stopping");
        if (!RestoreBestWeights || _bestWeights == null) return;
        if (verbose > 0) Output.WriteLine($"Restoring model weights from the end of the best epoch: {BestEpoch + 1}.");
        RequireModel().SetWeights(_bestWeights);
    }

    private bool IsImprovement(double current, double? reference)
    {
        if (reference is not double r) return true;
        return _maximize == true ? current - MinDelta > r : current + MinDelta < r;
    }

    private void Remember(int epoch)
    {
        _bestWeights = RequireModel().GetWeights();
        BestEpoch = epoch;
    }

    private void Stop(int epoch)
    {
        StoppedEpoch = epoch;
        RequireModel().StopTraining = true;
    }

    private Model RequireModel()
        => Model ?? throw new InvalidOperationException("EarlyStopping: no model is set; pass the callback to Fit.");
}
