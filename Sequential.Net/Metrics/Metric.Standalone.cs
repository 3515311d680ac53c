using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

// A metric used on its own, as Keras's update_state / result / reset_state: the metric's own graph ops run
// on a CPU backend over the host arrays, so the numbers are those Fit and Evaluate report.
public abstract partial class Metric
{
    private static readonly Lazy<CpuBackend> HostBackend = new(() => new CpuBackend());
    private float[]? _state;
    private int _stateSamples;

    /// <summary>
    /// Adds a batch to the metric's state, as Keras's <c>update_state(y_true, y_pred, sample_weight)</c>.
    /// <paramref name="yPred"/>: (N,) or (N, …, C); <paramref name="yTrue"/> shaped like it, or one class index per
    /// row of C for the sparse metrics; <paramref name="sampleWeight"/>: one weight per sample (N,), weighing the
    /// batch as Keras does (Σ w·v / Σ w for a mean, weighted counts for Precision, Recall and AUC).
    /// <c>"accuracy"</c> resolves as in Compile: width 1 binary, class indices sparse, else categorical.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes that do not fit: the message names them.</exception>
    public void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        Prepare(yPred.Shape.Length <= 1 ? [] : yPred.Shape[1..], forCompile: false);
        int n = yPred.RowCount;
        int[] sample = yPred.Shape.Length <= 1 ? [1] : yPred.Shape[1..];
        int cols = sample[^1], rowsPerSample = yPred.RowLength / Math.Max(1, cols);
        bool sparse = yTrue.Data.Length != yPred.Data.Length;
        if (yTrue.RowCount != n || sparse && (cols == 1 || yTrue.Data.Length != (long)n * rowsPerSample))
            throw new ArgumentException($"{GetType().Name}.UpdateState: expected yTrue shaped like yPred {Tensor.FormatShape(yPred.Shape)}, or one class index per row of it. Received: yTrue {Tensor.FormatShape(yTrue.Shape)}.", nameof(yTrue));
        if (sampleWeight is not null && (sampleWeight.Data.Length != n || rowsPerSample != 1))
            throw new ArgumentException($"{GetType().Name}.UpdateState: expected sampleWeight with one weight per sample, shape ({n},), for predictions with one row per sample. Received: sampleWeight {Tensor.FormatShape(sampleWeight.Shape)} for yPred {Tensor.FormatShape(yPred.Shape)}.", nameof(sampleWeight));
        var backend = HostBackend.Value;
        lock (backend) RunUpdate(backend, yTrue, yPred, sampleWeight, sample, sparse);
        _stateSamples += n;
    }

    /// <summary>The metric's value over every batch since the last <see cref="ResetState"/> (Keras's <c>result()</c>); 0 before any.</summary>
    public double Result()
    {
        if (_state == null) return 0.0;
        return IsMean ? FromMean(_state[0], (float)_stateSamples * RowsPerSample + _state[Slots]) : Result(_state.AsSpan(0, Slots), _stateSamples);
    }

    /// <summary>The accumulators of the standalone state (null before any batch) and the samples seen, for metrics with more than one value.</summary>
    internal (float[]? State, int Samples) StandaloneState => (_state, _stateSamples);

    /// <summary>Forgets every batch (Keras's <c>reset_state()</c>).</summary>
    public void ResetState()
    {
        _state = null;
        _stateSamples = 0;
    }

    /// <summary>Builds the metric's ops for these shapes, runs them once and keeps the accumulators on the host.</summary>
    private void RunUpdate(CpuBackend backend, Tensor yTrue, Tensor yPred, Tensor? sampleWeight, int[] sample, bool sparse)
    {
        var g = new GraphBuilder();
        Node pred = g.Input(sample, "y_pred");
        Node labels = g.Input(sparse ? sample[..^1] : sample, "y_true");
        Node? weights = sampleWeight is null ? null : g.Input(sample[..^1], "sample_weight");
        Emit(g, pred, labels, weights, sparse, 0);
        if (IsMean && weights != null) g.Effect(new AccumulateExcessWeightOp(Slots), weights);
        var sinks = g.Nodes.Where(node => node.Op.HasSideEffects).ToList();
        _state ??= new float[Slots + 1];
        using var state = new ModelState(backend, 0, _state.Length);
        backend.Upload(_state, state.Accumulators);
        using var p = backend.UseHostData(yPred.Data);
        using var t = backend.UseHostData(yTrue.Data);
        using var w = sampleWeight is null ? null : backend.UseHostData(sampleWeight.Data);
        var bound = new Dictionary<Node, DeviceBuffer> { [pred] = p, [labels] = t };
        if (weights != null) bound[weights] = w!;
        int batch = yPred.RowCount;
        using var arena = backend.Allocate(Math.Max(1, ExecutionPlan.ArenaLength(g.Nodes, sinks, bound, batch)));
        using var empty = backend.Allocate(0);
        ExecutionPlan.Lower(backend, g.Nodes, sinks, bound, arena, empty, state, batch).Run(backend);
        backend.Download(state.Accumulators, _state);
    }
}
