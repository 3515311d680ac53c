namespace SequentialNet.Callbacks;

/// <summary>
/// Prints Keras's progress output during Fit: "Epoch i/N" (when N &gt; 1), then a progress bar
/// (verbose 1) or one line per epoch (verbose 2). Added by Fit automatically when verbose ≠ 0.
/// </summary>
public sealed class ProgbarLogger(int verbose = 1, TextWriter? output = null) : Callback
{
    private ProgressBar? _bar;
    private int _steps;

    internal void StartEpoch(int epoch, int epochs, int steps)
    {
        if (epochs > 1) (output ?? Console.Out).WriteLine($"Epoch {epoch + 1}/{epochs}");
        _steps = steps;
        _bar = new ProgressBar(steps, verbose, output);
        if (RedrawInterval is double seconds) _bar.Interval = seconds;
    }

    /// <summary>Seconds between redraws instead of the bar's own (tests make it draw at every chance).</summary>
    internal double? RedrawInterval { get; set; }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        => _bar?.Update(batch + 1, logs);

    /// <summary>
    /// False: the bar redraws at most every 50 ms (1 s when the output is redirected), so Fit reads the running
    /// metrics back only when <see cref="WantsLogsNow"/> says it will draw, not after every batch (on a GPU each
    /// read is a host synchronization).
    /// </summary>
    internal override bool WantsBatchLogs => false;

    /// <summary>
    /// Whether the bar would draw a batch's logs now. Then Fit reads them and calls <see cref="OnTrainBatchEnd"/>:
    /// at once on the CPU; on a GPU it queues a read into pinned memory and shows the values when they have
    /// landed, a step or more later, so no step waits (Runtime/ProgressReader.cs).
    /// </summary>
    internal bool WantsLogsNow => _bar?.WouldDraw == true;

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
        => _bar?.Update(_steps, logs, finalize: true);
}
