using SequentialNet.Backends;

namespace SequentialNet;

// Keras's train_on_batch / test_on_batch: one step on one batch, the logs of that batch returned.
public partial class Model
{
    /// <summary>
    /// One gradient step on the batch (x, y) (Keras <c>train_on_batch</c>): returns the batch's loss and
    /// metrics, e.g. <c>{"loss": …, "accuracy": …}</c>. The weights on the host reflect the step afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not compiled, or Fit runs on this model on another thread.</exception>
    /// <exception cref="ArgumentException">Bad data: the message names it, expected and received.</exception>
    public Dictionary<string, double> TrainOnBatch(Tensor x, Tensor y, Tensor? sampleWeight = null, IReadOnlyDictionary<int, double>? classWeight = null)
        => TrainOnBatch(One(x, nameof(x)), One(y, nameof(y)), sampleWeight, classWeight);

    /// <summary>One gradient step on a batch of a model with several inputs or outputs (arrays in input and output order).</summary>
    public Dictionary<string, double> TrainOnBatch(Tensor[] x, Tensor[] y, Tensor? sampleWeight = null, IReadOnlyDictionary<int, double>? classWeight = null)
    {
        using var _ = Gate.Enter(nameof(TrainOnBatch), fit: true);
        RequireCompiled(nameof(TrainOnBatch));
        var compiled = Ready(nameof(Fit), CheckInputs(nameof(TrainOnBatch), x));
        CheckTargets(nameof(TrainOnBatch), x, y);
        var weights = SampleWeights(compiled, y, classWeight, sampleWeight, nameof(TrainOnBatch));
        int n = x[0].RowCount;
        var backend = compiled.Backend;
        DeviceBuffer[] xb = [.. x.Select(t => backend.UseHostData(t.Data))], yb = [.. y.Select(t => backend.UseHostData(t.Data))];
        DeviceBuffer[]? wb = weights?.Select(backend.UseHostData).ToArray();
        var logs = new Dictionary<string, double>();
        try
        {
            using (var rate = backend.View(compiled.State.Hyper, StateSlots.LearningRate, 1))
                backend.Upload([(float)Optimizer!.LearningRate], rate);
            ResetAccumulators(compiled, compiled.TrainAccumulators);
            backend.SetCounter(compiled.State.Counters, StateSlots.TrainCursor, 0);
            compiled.Step(PlanKind.Train, n, xb, yb, new RowOrder(0, n, false, 0), StateSlots.TrainCursor, wb);
            ReadLogs(compiled, compiled.TrainAccumulators, n, "", logs);
            Optimizer.Iterations = compiled.ReadIterations();
        }
        finally
        {
            compiled.ReleaseCaptures(xb);      // the recorded steps that read this call's data (a Fit's kept ones stay)
            foreach (var b in xb.Concat(yb).Concat(wb ?? [])) b.Dispose();
            SyncAfterTraining();
        }
        return logs;
    }

    /// <summary>Loss and metrics of one batch in inference mode (Keras <c>test_on_batch</c>).</summary>
    public Dictionary<string, double> TestOnBatch(Tensor x, Tensor y, Tensor? sampleWeight = null)
        => Evaluate(x, y, batchSize: Math.Max(1, x?.RowCount ?? 1), verbose: 0, sampleWeight: sampleWeight);

    /// <summary>Loss and metrics of one batch of a model with several inputs or outputs.</summary>
    public Dictionary<string, double> TestOnBatch(Tensor[] x, Tensor[] y, Tensor? sampleWeight = null)
        => Evaluate(x, y, batchSize: Math.Max(1, x?.FirstOrDefault()?.RowCount ?? 1), verbose: 0, sampleWeight: sampleWeight);
}
