using SequentialNet.Backends;
using SequentialNet.Callbacks;

namespace SequentialNet;

// Fit: Keras's training loop over the compiled plans.
public partial class Model
{
    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs (Keras semantics: <paramref name="epochs"/> is the index
    /// of the last epoch when <paramref name="initialEpoch"/> is set). <paramref name="validationSplit"/>
    /// holds out the LAST fraction of x/y, before shuffling; <paramref name="validationData"/> overrides it.
    /// Every batch is used, the last partial one included. Verbose: 1 progress bar, 2 one line per epoch, 0 silent.
    /// <paramref name="classWeight"/> (class index → weight; unlisted classes weigh 1) or
    /// <paramref name="sampleWeight"/> (one weight per sample, shape (N,), or one per loss element) scale each
    /// sample's loss, reduced as Keras's "sum_over_batch_size": Σ w·l / batch size; the reported loss is the
    /// weighted one, and so are the metrics of <c>Compile(weightedMetrics:)</c> (those of <c>metrics</c> stay unweighted, as Keras 3's). As Keras 3, both at once is an error.
    /// Validation follows Keras 3: with <paramref name="validationSplit"/> the held-out rows keep their
    /// <paramref name="sampleWeight"/> (class weights apply to training only), and
    /// <paramref name="validationSampleWeight"/> weighs <paramref name="validationData"/> (Keras's third element
    /// of <c>validation_data</c>), so val_loss is the weighted mean Σ w·l / N.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not compiled, or Fit already runs on this model on another thread.</exception>
    /// <exception cref="ArgumentException">Bad data or arguments: the message names them, expected and received.</exception>
    public History Fit(Tensor x, Tensor y, int epochs = 1, int batchSize = 32, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0, (Tensor X, Tensor Y)? validationData = null,
        bool shuffle = true, int initialEpoch = 0, IReadOnlyDictionary<int, double>? classWeight = null, Tensor? sampleWeight = null,
        Tensor? validationSampleWeight = null)
        => FitCore(One(x, nameof(x)), One(y, nameof(y)), epochs, batchSize, verbose, callbacks, validationSplit,
            validationData is var (vx, vy) ? ([vx], [vy]) : null, shuffle, initialEpoch, classWeight, sampleWeight, validationSampleWeight);

    /// <summary>
    /// Trains a model with several inputs or outputs: one array per input in <see cref="InputNames"/> order and
    /// one target array per output in <see cref="OutputNames"/> order (Keras's lists); otherwise as
    /// <see cref="Fit(Tensor, Tensor, int, int, int, IEnumerable{Callback}?, double, ValueTuple{Tensor, Tensor}?, bool, int, IReadOnlyDictionary{int, double}?, Tensor?, Tensor?)"/>.
    /// History holds "loss" (the weighted sum), each output's "{output}_loss" and "{output}_{metric}".
    /// </summary>
    public History Fit(Tensor[] x, Tensor[] y, int epochs = 1, int batchSize = 32, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0, (Tensor[] X, Tensor[] Y)? validationData = null,
        bool shuffle = true, int initialEpoch = 0, IReadOnlyDictionary<int, double>? classWeight = null, Tensor? sampleWeight = null,
        Tensor? validationSampleWeight = null)
        => FitCore(x, y, epochs, batchSize, verbose, callbacks, validationSplit, validationData, shuffle, initialEpoch, classWeight, sampleWeight, validationSampleWeight);

    /// <summary>Trains on arrays keyed by input name (<see cref="InputNames"/>) and output name (<see cref="OutputNames"/>), as Keras accepts dicts.</summary>
    public History Fit(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor> y, int epochs = 1, int batchSize = 32, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0,
        (IReadOnlyDictionary<string, Tensor> X, IReadOnlyDictionary<string, Tensor> Y)? validationData = null,
        bool shuffle = true, int initialEpoch = 0, Tensor? sampleWeight = null, Tensor? validationSampleWeight = null)
        => FitCore(ByName(nameof(Fit), x, nameof(x), false), ByName(nameof(Fit), y, nameof(y), true), epochs, batchSize, verbose, callbacks, validationSplit,
            validationData is var (vx, vy) ? (ByName(nameof(Fit), vx, "validationData.X", false), ByName(nameof(Fit), vy, "validationData.Y", true)) : null,
            shuffle, initialEpoch, null, sampleWeight, validationSampleWeight);

    private static Tensor[] One(Tensor t, string argument) => [t ?? throw new ArgumentNullException(argument)];

    private History FitCore(Tensor[] x, Tensor[] y, int epochs, int batchSize, int verbose, IEnumerable<Callback>? callbacks,
        double validationSplit, (Tensor[] X, Tensor[] Y)? validationData, bool shuffle, int initialEpoch,
        IReadOnlyDictionary<int, double>? classWeight, Tensor? sampleWeight, Tensor? validationSampleWeight)
    {
        using var _ = Gate.Enter(nameof(Fit), fit: true);
        RequireBatchSize(nameof(Fit), batchSize);
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), $"Fit: expected 0 <= validationSplit < 1. Received: {validationSplit}.");
        if (epochs < 0 || initialEpoch < 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"Fit: expected epochs >= 0 and initialEpoch >= 0. Received: epochs={epochs}, initialEpoch={initialEpoch}.");
        RequireCompiled(nameof(Fit));
        var compiled = Ready(nameof(Fit), CheckInputs(nameof(Fit), x));
        CheckTargets(nameof(Fit), x, y);
        int n = x[0].RowCount, trainCount = n;
        if (validationData is var (vx, vy))
        {
            CheckInputs(nameof(Fit), vx, "validationData.X");
            CheckTargets(nameof(Fit), vx, vy, "validationData.Y");
        }
        else if (validationSplit > 0)
        {
            trainCount = (int)Math.Floor(n * (1 - validationSplit));   // Keras: split_at = floor(n·(1−split))
            if (trainCount == 0 || trainCount == n)
                throw new ArgumentException($"Fit: validationSplit={validationSplit} of {n} samples leaves {(trainCount == 0 ? "no training" : "no validation")} samples.", nameof(validationSplit));
        }
        if (validationSampleWeight is not null && validationData is null)
            throw new ArgumentException($"Fit: validationSampleWeight weighs validationData, which was not given. Received: validationSampleWeight of shape {Tensor.FormatShape(validationSampleWeight.Shape)} and no validationData.", nameof(validationSampleWeight));
        var weights = SampleWeights(compiled, y, classWeight, sampleWeight);
        var validationWeights = validationData is var (_, valY)
            ? SampleWeights(compiled, valY, null, validationSampleWeight, argument: nameof(validationSampleWeight))
            : classWeight == null ? weights : null;      // split rows keep their sample weights; class weights are for training only
        using var loop = new TrainingLoop(this, compiled, x, y, trainCount, validationData, batchSize, verbose, callbacks, epochs, shuffle, weights, validationWeights);
        return loop.Run(initialEpoch, epochs);
    }

    /// <summary>Reads the running means of the accumulators (losses and metrics) into <paramref name="logs"/>.</summary>
    internal static void ReadLogs(CompiledModel compiled, int accumulatorBase, int samples, string prefix, Dictionary<string, double> logs)
    {
        float[] host = compiled.State.AccumulatorHost;
        compiled.Backend.Download(compiled.State.Accumulators, host);
        var graphs = compiled.Graphs;
        var region = host.AsSpan(accumulatorBase, graphs.AccumulatorStride);
        foreach (var entry in graphs.Entries)
            logs[prefix.Length == 0 ? entry.Name : prefix + entry.Name] = entry.Result(region, samples);
    }

    /// <summary>Zeros the accumulators of the region at <paramref name="accumulatorBase"/>.</summary>
    internal static void ResetAccumulators(CompiledModel compiled, int accumulatorBase)
    {
        var view = compiled.Backend.View(compiled.State.Accumulators, accumulatorBase, compiled.Graphs.AccumulatorStride);
        compiled.Backend.Fill(view, 0f);
    }

    /// <summary>Runs the inference graph over <paramref name="count"/> rows of x (in order), accumulating losses and metrics.</summary>
    internal (int Samples, int Batches) RunEvaluation(CompiledModel compiled, DeviceBuffer[] x, DeviceBuffer[] y, DeviceBuffer[]? w, RowOrder order, int count, int batchSize, Action<int, int>? onBatch)
    {
        ResetAccumulators(compiled, compiled.EvalAccumulators);
        compiled.Backend.SetCounter(compiled.State.Counters, StateSlots.EvalCursor, 0);
        int batches = (count + batchSize - 1) / batchSize;
        for (int b = 0; b < batches; b++)
        {
            int rows = Math.Min(batchSize, count - b * batchSize);
            compiled.Step(PlanKind.Evaluate, rows, x, y, order, StateSlots.EvalCursor, w);
            onBatch?.Invoke(b, (b + 1) * batchSize >= count ? count : (b + 1) * batchSize);
        }
        return (count, batches);
    }
}
