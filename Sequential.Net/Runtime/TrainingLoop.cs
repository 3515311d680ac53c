using SequentialNet.Backends;
using SequentialNet.Callbacks;

namespace SequentialNet;

/// <summary>
/// One call of Fit: data made visible to the backend once, a shuffle per epoch (a keyed permutation the
/// backend computes while gathering: no index list), the train plan per batch,
/// validation at each epoch end, callbacks and the progress bar. The per-batch path (gather, plan, and
/// the log read-back only when a callback reads the logs) allocates nothing and, on a GPU, never makes the
/// host wait unless a callback reads a batch's logs (<see cref="BatchLogs"/>): the progress bar reads behind
/// the queued steps (<see cref="ProgressReader"/>). The epoch end reads the logs once.
/// </summary>
internal sealed class TrainingLoop : IDisposable
{
    private readonly Model _model;
    private readonly CompiledModel _compiled;
    private readonly IBackend _backend;
    private readonly DeviceBuffer[] _x, _y;
    private readonly DeviceBuffer[]? _w;
    private readonly DeviceBuffer[]? _valX, _valY, _valW;
    private readonly RowOrder _trainOrder, _valOrder;
    private readonly int _trainCount, _valCount, _batchSize, _epochs, _verbose;
    private readonly bool _shuffle;
    private readonly List<Callback> _callbacks = [];
    private readonly History _history = new();
    private readonly ProgbarLogger? _progbar;
    private readonly ProgressReader? _progress;
    private readonly Callback[] _batchCallbacks;     // those with per-batch hooks (the progress bar is fed by _progress)
    private readonly Dictionary<string, double> _logs = [];
    private readonly BatchLogs _batchLogs;
    private readonly float[] _learningRate = new float[1];

    public TrainingLoop(Model model, CompiledModel compiled, Tensor[] x, Tensor[] y, int trainCount, (Tensor[] X, Tensor[] Y)? validationData,
        int batchSize, int verbose, IEnumerable<Callback>? callbacks, int epochs, bool shuffle, float[][]? sampleWeights = null,
        float[][]? validationWeights = null)
    {
        _model = model; _compiled = compiled; _backend = compiled.Backend;
        _trainCount = trainCount; _batchSize = batchSize; _verbose = verbose; _epochs = epochs; _shuffle = shuffle;
        if (compiled.KeepsData) compiled.BeginDataUse();
        _x = Use(x);
        _y = Use(y);
        if (sampleWeights != null) _w = Use(sampleWeights);
        _trainOrder = new RowOrder(0, trainCount, shuffle, compiled.State.Seed);
        if (validationData is var (vx, vy))
        {
            (_valX, _valY, _valCount) = (Use(vx), Use(vy), vx[0].RowCount);
            if (validationWeights != null) _valW = Use(validationWeights);
            _valOrder = new RowOrder(0, _valCount, false, 0);
        }
        else if (trainCount < x[0].RowCount)
        {
            // Keras: the validation rows are the last ones, fixed before any shuffling.
            (_valX, _valY, _valCount) = (_x, _y, x[0].RowCount - trainCount);
            if (validationWeights != null) _valW = validationWeights == sampleWeights ? _w : Use(validationWeights);
            _valOrder = new RowOrder(trainCount, _valCount, false, 0);
        }
        if (callbacks != null) _callbacks.AddRange(callbacks);
        // As Keras: a ProgbarLogger among the callbacks is the bar; otherwise verbose adds one, first.
        _progbar = _callbacks.OfType<ProgbarLogger>().FirstOrDefault();
        if (_progbar == null && verbose != 0) _callbacks.Insert(0, _progbar = new ProgbarLogger(verbose));
        _callbacks.Add(_history);
        var parameters = new Dictionary<string, object> { ["epochs"] = epochs, ["steps"] = Steps, ["verbose"] = verbose };
        foreach (var cb in _callbacks) { cb.Model = model; cb.Params = parameters; }
        if (compiled.KeepsData) compiled.EndDataUse();     // data of an earlier Fit not used now is freed
        _batchCallbacks = [.. _callbacks.Where(c => c.WantsBatchLogs)];
        _batchLogs = new BatchLogs(compiled, _logs);
        if (_progbar != null) _progress = new ProgressReader(compiled, _progbar);
    }

    private DeviceBuffer[] Use(Tensor[] data) => Use([.. data.Select(t => t.Data)]);

    /// <summary>The data on the backend: kept across Fit calls where the backend has its own memory (<see cref="ResidentData"/>), else for this call.</summary>
    private DeviceBuffer[] Use(float[][] data) => _compiled.KeepsData ? _compiled.UseData(data) : [.. data.Select(_backend.UseHostData)];

    private int Steps => (_trainCount + _batchSize - 1) / _batchSize;

    public History Run(int initialEpoch, int epochs)
    {
        _model.StopTraining = false;
        try
        {
            foreach (var cb in _callbacks) cb.OnTrainBegin(_logs);
            for (int epoch = initialEpoch; epoch < epochs && !_model.StopTraining; epoch++)
            {
                _logs.Clear();
                foreach (var cb in _callbacks) cb.OnEpochBegin(epoch, _logs);
                UploadLearningRate();
                int seen = RunEpoch(epoch);
                _batchLogs.Discard();
                Model.ReadLogs(_compiled, _compiled.TrainAccumulators, seen, "", _logs);
                if (_valX != null) Validate();
                foreach (var cb in _callbacks) cb.OnEpochEnd(epoch, _logs);
                _compiled.Store.Refresh();
            }
        }
        catch
        {
            // A callback threw (TerminateOnNaN(raiseError: true)): the steps taken are still counted, unless
            // the device itself has failed, in which case the original error is the one to report.
            try { _model.Optimizer!.Iterations = _compiled.ReadIterations(); } catch (Exception) { }
            throw;
        }
        var optimizer = _model.Optimizer!;
        optimizer.Iterations = _compiled.ReadIterations();
        if (epochs > 0 && optimizer.UseEma)
        {
            // Keras's fit ends with optimizer.finalize_variable_values (before on_train_end): the variables take their EMA.
            optimizer.FinalizeVariableValues(_backend, _compiled.Store, _compiled.Slots, optimizer.Iterations);
            _model.MarkDeviceAhead();
        }
        foreach (var cb in _callbacks) cb.OnTrainEnd(_logs);
        return _history;
    }

    /// <summary>
    /// Copies the host learning rate to the device once per epoch, after OnEpochBegin, so a value set by a
    /// callback (LearningRateScheduler at epoch begin, ReduceLROnPlateau at the previous epoch end) is the
    /// one this epoch's steps read.
    /// </summary>
    private void UploadLearningRate()
    {
        _learningRate[0] = (float)_model.Optimizer!.LearningRate;
        _backend.Upload(_learningRate, _backend.View(_compiled.State.Hyper, StateSlots.LearningRate, 1));
    }

    /// <summary>Trains one epoch; returns the rows seen (fewer when a batch callback stopped training, as Keras breaks out of the epoch).</summary>
    private int RunEpoch(int epoch)
    {
        _backend.SetCounter(_compiled.State.Counters, StateSlots.Epoch, epoch);
        _backend.SetCounter(_compiled.State.Counters, StateSlots.TrainCursor, 0);
        Model.ResetAccumulators(_compiled, _compiled.TrainAccumulators);
        _model.MarkDeviceAhead();
        _progbar?.StartEpoch(epoch, _epochs, Steps);
        _progress?.StartEpoch(epoch);
        _batchLogs.Discard();
        int seen = 0;
        for (int b = 0; b < Steps; b++)
        {
            int rows = Math.Min(_batchSize, _trainCount - seen);
            foreach (var cb in _batchCallbacks) cb.OnTrainBatchBegin(b, _batchLogs);
            _compiled.Step(PlanKind.Train, rows, _x, _y, _trainOrder, StateSlots.TrainCursor, _w);
            seen += rows;
            _batchLogs.MarkStale(seen);     // read back only if a callback looks (one synchronization then)
            foreach (var cb in _batchCallbacks) cb.OnTrainBatchEnd(b, _batchLogs);
            _progress?.AfterStep(b, seen, _batchLogs);
            if (_batchCallbacks.Length == 0) continue;
            _compiled.Store.Refresh();      // a callback's SetWeights applies to the next step
            if (_model.StopTraining) break;
        }
        return seen;
    }

    private void Validate()
    {
        foreach (var cb in _callbacks) cb.OnTestBegin(_logs);
        _model.RunEvaluation(_compiled, _valX!, _valY!, _valW, _valOrder, _valCount, _batchSize, null);
        Model.ReadLogs(_compiled, _compiled.EvalAccumulators, _valCount, "val_", _logs);
        foreach (var cb in _callbacks) cb.OnTestEnd(_logs);
    }

    public void Dispose()
    {
        _progress?.Dispose();
        if (!_compiled.KeepsData)
        {
            _compiled.ReleaseCaptures();      // recorded steps read these buffers
            Free(_x); Free(_y); Free(_w);
            if (_valX != _x) { Free(_valX); Free(_valY); }
            if (_valW != _w) Free(_valW);
        }
        _model.SyncAfterTraining();
    }

    private static void Free(DeviceBuffer[]? buffers)
    {
        if (buffers != null) foreach (var b in buffers) b.Dispose();
    }
}
