using System.Diagnostics;
using SequentialNet.Backends;
using SequentialNet.Callbacks;

namespace SequentialNet;

/// <summary>
/// Feeds the progress bar during an epoch without making a step wait. On a backend with
/// <see cref="IAsyncReadback"/> (CUDA) it queues a copy of the train accumulators into pinned memory when the
/// bar would draw (at most every 0.1 s), and hands the values to the bar once the copy has landed — one step or
/// more later, labelled with the step they belong to. Elsewhere (the CPU backend, where a read waits for
/// nothing) it reads when the bar would draw, as before. The epoch end reads the logs itself (one synchronization).
/// </summary>
internal sealed class ProgressReader : IDisposable
{
    /// <summary>The least time between two queued reads (seconds): the bar cannot show more, and each read costs a copy and an event.</summary>
    private const double MinReadInterval = 0.1;

    private readonly CompiledModel _compiled;
    private readonly ProgbarLogger _bar;
    private readonly IPendingRead? _read;
    private readonly DeviceBuffer? _source;
    private readonly float[] _host = [];
    private readonly Dictionary<string, double> _logs = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _lastStart = double.NegativeInfinity;
    private int _epoch, _readEpoch, _readBatch, _readSeen;

    public ProgressReader(CompiledModel compiled, ProgbarLogger bar)
    {
        _compiled = compiled;
        _bar = bar;
        if (compiled.Backend is not IAsyncReadback readback) return;
        int stride = compiled.Graphs.AccumulatorStride;
        _read = readback.CreatePendingRead(stride);
        _source = compiled.Backend.View(compiled.State.Accumulators, compiled.TrainAccumulators, stride);
        _host = new float[stride];
    }

    /// <summary>A new epoch: a read still in flight belongs to the last one and is dropped when it lands.</summary>
    public void StartEpoch(int epoch)
    {
        _epoch = epoch;
        _lastStart = double.NegativeInfinity;
    }

    /// <summary>After step <paramref name="batch"/> (<paramref name="seen"/> samples so far); <paramref name="logs"/> reads synchronously.</summary>
    public void AfterStep(int batch, int seen, BatchLogs logs)
    {
        if (_read == null || logs.IsFresh && !_read.InFlight)
        {
            // No asynchronous read, or a batch callback already paid for this step's values: show them directly.
            if (_bar.WantsLogsNow) _bar.OnTrainBatchEnd(batch, logs);
            return;
        }
        if (_read.InFlight)
        {
            if (_read.TryComplete(_host) && _readEpoch == _epoch) Show();
            return;      // the next read starts at a later step
        }
        double now = _clock.Elapsed.TotalSeconds;
        if (!_bar.WantsLogsNow || now - _lastStart < (_bar.RedrawInterval ?? MinReadInterval)) return;
        _read.Start(_source!);
        (_readEpoch, _readBatch, _readSeen, _lastStart) = (_epoch, batch, seen, now);
    }

    private void Show()
    {
        foreach (var entry in _compiled.Graphs.Entries) _logs[entry.Name] = entry.Result(_host, _readSeen);
        _bar.OnTrainBatchEnd(_readBatch, _logs);
    }

    public void Dispose()
    {
        _read?.Dispose();
        _source?.Dispose();
    }
}
