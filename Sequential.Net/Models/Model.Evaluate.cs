using SequentialNet.Backends;
using SequentialNet.Callbacks;

namespace SequentialNet;

// Evaluate and Predict: the inference plan (dropout off) over the data in order.
public partial class Model
{
    /// <summary>
    /// Loss and metrics on (x, y) in inference mode: <c>{"loss": …, "accuracy": …}</c>, each the mean
    /// over all samples. <paramref name="sampleWeight"/> (shape (N,), or one weight per loss element) weighs
    /// the loss as Keras's evaluate does: Σ w·l / N, and the metrics of <c>Compile(weightedMetrics:)</c>; those of <c>metrics</c> stay unweighted (Keras 3).
    /// </summary>
    /// <exception cref="InvalidOperationException">Not compiled, or Fit runs on this model on another thread.</exception>
    /// <exception cref="ArgumentException">Bad data: the message names it, expected and received.</exception>
    public Dictionary<string, double> Evaluate(Tensor x, Tensor y, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        Tensor? sampleWeight = null)
        => EvaluateCore(One(x, nameof(x)), One(y, nameof(y)), batchSize, verbose, callbacks, sampleWeight);

    /// <summary>Evaluates a model with several inputs or outputs (arrays in input and output order); the logs are named as Fit's.</summary>
    public Dictionary<string, double> Evaluate(Tensor[] x, Tensor[] y, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        Tensor? sampleWeight = null)
        => EvaluateCore(x, y, batchSize, verbose, callbacks, sampleWeight);

    /// <summary>Evaluates on arrays keyed by input and output name.</summary>
    public Dictionary<string, double> Evaluate(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor> y, int batchSize = 32, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, Tensor? sampleWeight = null)
        => EvaluateCore(ByName(nameof(Evaluate), x, nameof(x), false), ByName(nameof(Evaluate), y, nameof(y), true), batchSize, verbose, callbacks, sampleWeight);

    private Dictionary<string, double> EvaluateCore(Tensor[] x, Tensor[] y, int batchSize, int verbose, IEnumerable<Callback>? callbacks, Tensor? sampleWeight)
    {
        using var _ = Gate.Enter(nameof(Evaluate));
        RequireBatchSize(nameof(Evaluate), batchSize);
        RequireCompiled(nameof(Evaluate));
        var compiled = Ready(nameof(Evaluate), CheckInputs(nameof(Evaluate), x));
        CheckTargets(nameof(Evaluate), x, y);
        var weights = SampleWeights(compiled, y, null, sampleWeight, nameof(Evaluate));
        var logs = new Dictionary<string, double>();
        var list = callbacks?.ToList() ?? [];
        foreach (var cb in list) { cb.Model = this; cb.OnTestBegin(logs); }
        int n = x[0].RowCount;
        var bar = verbose != 0 ? new ProgressBar((n + batchSize - 1) / batchSize, verbose) : null;
        var backend = compiled.Backend;
        DeviceBuffer[] xb = [.. x.Select(t => backend.UseHostData(t.Data))], yb = [.. y.Select(t => backend.UseHostData(t.Data))];
        DeviceBuffer[]? wb = weights?.Select(backend.UseHostData).ToArray();
        try
        {
            RunEvaluation(compiled, xb, yb, wb, new RowOrder(0, n, false, 0), n, batchSize, (batch, seen) =>
            {
                if (bar == null && list.Count == 0) return;
                ReadLogs(compiled, compiled.EvalAccumulators, seen, "", logs);
                bar?.Update(batch + 1, logs);
                foreach (var cb in list) cb.OnTestBatchEnd(batch, logs);
            });
        }
        finally
        {
            compiled.ReleaseCaptures(xb);      // the recorded steps that read this call's data (a Fit's kept ones stay)
            foreach (var b in xb.Concat(yb).Concat(wb ?? [])) b.Dispose();
        }
        ReadLogs(compiled, compiled.EvalAccumulators, n, "", logs);
        bar?.Update((n + batchSize - 1) / batchSize, logs, finalize: true);
        foreach (var cb in list) cb.OnTestEnd(logs);
        return logs;
    }

    /// <summary>Outputs for every sample of x, computed in batches in inference mode: shape (N, output…). For a model with one output.</summary>
    /// <exception cref="InvalidOperationException">Not compiled, the model has several outputs (use <see cref="PredictAll(Tensor[], int, int)"/>), or Fit runs on another thread.</exception>
    /// <exception cref="ArgumentException">Bad data: the message names it, expected and received.</exception>
    public Tensor Predict(Tensor x, int batchSize = 32, int verbose = 0) => Single(PredictCore(One(x, nameof(x)), batchSize, verbose));

    /// <summary>Outputs of a model with several inputs and one output (arrays in input order).</summary>
    public Tensor Predict(Tensor[] x, int batchSize = 32, int verbose = 0) => Single(PredictCore(x, batchSize, verbose));

    /// <summary>Every output for every sample, one tensor per output in <see cref="OutputNames"/> order (Keras's list from <c>predict</c>).</summary>
    public Tensor[] PredictAll(Tensor[] x, int batchSize = 32, int verbose = 0) => PredictCore(x, batchSize, verbose);

    /// <summary>Every output for every sample of a one-input model.</summary>
    public Tensor[] PredictAll(Tensor x, int batchSize = 32, int verbose = 0) => PredictCore(One(x, nameof(x)), batchSize, verbose);

    /// <summary>Every output for arrays keyed by input name, keyed by output name.</summary>
    public Dictionary<string, Tensor> PredictAll(IReadOnlyDictionary<string, Tensor> x, int batchSize = 32, int verbose = 0)
    {
        var outputs = PredictCore(ByName(nameof(Predict), x, nameof(x), false), batchSize, verbose);
        return OutputNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => outputs[p.i]);
    }

    /// <summary>Predictions for one batch, without a progress bar (Keras <c>predict_on_batch</c>).</summary>
    public Tensor PredictOnBatch(Tensor x) => Predict(x, batchSize: Math.Max(1, x?.RowCount ?? 1), verbose: 0);

    /// <summary>Predictions for one batch of a model with several inputs (one output).</summary>
    public Tensor PredictOnBatch(Tensor[] x) => Predict(x, batchSize: Math.Max(1, x?.FirstOrDefault()?.RowCount ?? 1), verbose: 0);

    private Tensor Single(Tensor[] outputs) => outputs.Length == 1 ? outputs[0]
        : throw new InvalidOperationException($"Predict: model \"{Name}\" has {outputs.Length} outputs ({string.Join(", ", OutputNames)}). Use PredictAll to receive one tensor per output.");

    private Tensor[] PredictCore(Tensor[] x, int batchSize, int verbose)
    {
        using var _ = Gate.Enter(nameof(Predict));
        RequireBatchSize(nameof(Predict), batchSize);
        RequireCompiled(nameof(Predict));
        var compiled = Ready(nameof(Predict), CheckInputs(nameof(Predict), x));
        var outputs = compiled.Graphs.Evaluate.Outputs;
        int n = x[0].RowCount;
        var results = outputs.Select(o => new float[(long)n * o.InnerSize]).ToArray();
        var bar = verbose != 0 ? new ProgressBar((n + batchSize - 1) / batchSize, verbose) : null;
        var backend = compiled.Backend;
        backend.SetCounter(compiled.State.Counters, StateSlots.EvalCursor, 0);
        DeviceBuffer[] xb = [.. x.Select(t => backend.UseHostData(t.Data))];
        // The batches' outputs stay on the device: one read back per output, not one per batch.
        DeviceBuffer[] kept = [.. outputs.Select(o => backend.Allocate(checked(n * o.InnerSize)))];
        try
        {
            for (int start = 0, b = 0; start < n; start += batchSize, b++)
            {
                int rows = Math.Min(batchSize, n - start);
                var plan = compiled.Step(PlanKind.Predict, rows, xb, null, new RowOrder(0, n, false, 0), StateSlots.EvalCursor);
                for (int o = 0; o < outputs.Length; o++)
                {
                    int width = outputs[o].InnerSize;
                    using var from = backend.View(plan.Buffers[outputs[o]], 0, rows * width);
                    using var to = backend.View(kept[o], start * width, rows * width);
                    backend.Copy(from, to);
                }
                bar?.Update(b + 1, []);
            }
            for (int o = 0; o < outputs.Length; o++) backend.Download(kept[o], results[o]);
        }
        finally
        {
            compiled.ReleaseCaptures(xb);      // the recorded steps that read this call's data (a Fit's kept ones stay)
            foreach (var buffer in xb.Concat(kept)) buffer.Dispose();
        }
        bar?.Update((n + batchSize - 1) / batchSize, [], finalize: true);
        return [.. outputs.Select((o, i) => new Tensor(results[i], [n, .. o.Shape]))];
    }
}
