using SequentialNet.Backends;
using SequentialNet.Callbacks;

namespace SequentialNet;

// Evaluate and Predict: the inference plan (dropout off) over the data in order.
public abstract partial class Model
{
    /// <summary>
    /// Loss and metrics on (x, y) in inference mode: <c>{"loss": …, "accuracy": …}</c>, each the mean
    /// over all samples. <paramref name="sampleWeight"/> (shape (N,), or one weight per loss element) weighs
    /// the loss as Keras's evaluate does: Σ w·l / N, and the metrics of <c>Compile(weightedMetrics:)</c>; those of <c>metrics</c> stay unweighted (Keras 3).
    /// </summary>
    /// <exception cref="InvalidOperationException">Not compiled.</exception>
    /// <exception cref="ArgumentException">Bad data: the message names it, expected and received.</exception>
    public Dictionary<string, double> Evaluate(Tensor x, Tensor y, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        Tensor? sampleWeight = null)
    {
        RequireBatchSize(nameof(Evaluate), batchSize);
        RequireCompiled(nameof(Evaluate));
        var compiled = Ready(nameof(Evaluate), CheckInputs(nameof(Evaluate), x));
        CheckTargets(nameof(Evaluate), x, y);
        float[]? weights = SampleWeights(compiled, y, null, sampleWeight, nameof(Evaluate));
        var logs = new Dictionary<string, double>();
        var list = callbacks?.ToList() ?? [];
        foreach (var cb in list) { cb.Model = this; cb.OnTestBegin(logs); }
        var bar = verbose != 0 ? new ProgressBar((x.RowCount + batchSize - 1) / batchSize, verbose) : null;
        using (var xb = compiled.Backend.UseHostData(x.Data))
        using (var yb = compiled.Backend.UseHostData(y.Data))
        using (var wb = weights == null ? null : compiled.Backend.UseHostData(weights))
        {
            RunEvaluation(compiled, xb, yb, wb, new RowOrder(0, x.RowCount, false, 0), x.RowCount, batchSize, (batch, seen) =>
            {
                if (bar == null && list.Count == 0) return;
                ReadLogs(compiled, compiled.EvalAccumulators, seen, "", logs);
                bar?.Update(batch + 1, logs);
                foreach (var cb in list) cb.OnTestBatchEnd(batch, logs);
            });
        }
        compiled.ReleaseCaptures();
        ReadLogs(compiled, compiled.EvalAccumulators, x.RowCount, "", logs);
        bar?.Update((x.RowCount + batchSize - 1) / batchSize, logs, finalize: true);
        foreach (var cb in list) cb.OnTestEnd(logs);
        return logs;
    }

    /// <summary>Outputs for every sample of x, computed in batches in inference mode: shape (N, output…).</summary>
    /// <exception cref="InvalidOperationException">Not compiled.</exception>
    /// <exception cref="ArgumentException">Bad data: the message names it, expected and received.</exception>
    public Tensor Predict(Tensor x, int batchSize = 32, int verbose = 0)
    {
        RequireBatchSize(nameof(Predict), batchSize);
        RequireCompiled(nameof(Predict));
        var compiled = Ready(nameof(Predict), CheckInputs(nameof(Predict), x));
        var output = compiled.Graphs.Evaluate.Output;
        int width = output.InnerSize, n = x.RowCount;
        var result = new float[(long)n * width];
        var bar = verbose != 0 ? new ProgressBar((n + batchSize - 1) / batchSize, verbose) : null;
        compiled.Backend.SetCounter(compiled.State.Counters, StateSlots.EvalCursor, 0);
        using (var xb = compiled.Backend.UseHostData(x.Data))
        {
            for (int start = 0, b = 0; start < n; start += batchSize, b++)
            {
                int rows = Math.Min(batchSize, n - start);
                var plan = compiled.Step(PlanKind.Predict, rows, xb, null, new RowOrder(0, n, false, 0), StateSlots.EvalCursor);
                compiled.Backend.Download(plan.Buffers[output], result.AsSpan(start * width, rows * width));
                bar?.Update(b + 1, []);
            }
        }
        compiled.ReleaseCaptures();
        bar?.Update((n + batchSize - 1) / batchSize, [], finalize: true);
        return new Tensor(result, [n, .. output.Shape]);
    }

    /// <summary>Predictions for one batch, without a progress bar (Keras <c>predict_on_batch</c>).</summary>
    public Tensor PredictOnBatch(Tensor x) => Predict(x, batchSize: Math.Max(1, x.RowCount), verbose: 0);
}
