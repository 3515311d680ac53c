using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;

namespace SequentialNet;

// Compile: the optimizer, one loss per output, their weights and metrics; the compiled state is a cache.
public partial class Model
{
    private CompiledModel? _compiled;
    private string? _device;
    private CompileSpec? _spec;
    private Variable[]? _compiledTrainable;     // the trainable set the cached graphs were made for

    /// <summary>Serializes calls on this model across threads (see the class remarks).</summary>
    internal ExecutionGate Gate { get; } = new();

    /// <summary>The optimizer given to Compile. It owns its state (iterations, moments), which survives re-Compile and Dispose.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss of the first output (the loss, for a model with one output).</summary>
    public Loss? Loss => Losses.Count > 0 ? Losses[0] : _spec?.SingleLoss;

    /// <summary>One loss per output, in output order (known once the model is compiled and built).</summary>
    public IReadOnlyList<Loss> Losses { get; private set; } = [];

    /// <summary>Each output's loss weight (Keras's <c>loss_weights</c>; 1 unless given).</summary>
    public IReadOnlyList<double> LossWeights { get; private set; } = [];

    /// <summary>The metrics of each output, in output order.</summary>
    public IReadOnlyList<IReadOnlyList<Metric>> OutputMetrics { get; private set; } = [];

    /// <summary>The metrics given to Compile (each once), then its weighted metrics (under the names they are reported by).</summary>
    public IReadOnlyList<Metric> CompiledMetrics { get; private set; } = [];

    /// <summary>
    /// The compiled metric whose log is named <paramref name="name"/> (without "val_"): "accuracy", or with several
    /// outputs "class_accuracy"; null when none is.
    /// </summary>
    internal Metric? MetricLoggedAs(string name) => _compiled != null
        ? _compiled.Graphs.Entries.FirstOrDefault(e => e.Name == name)?.Metric     // the names the logs use (ModelGraphs)
        : CompiledMetrics.FirstOrDefault(m => m.Name == name);

    /// <summary>Set by a callback to stop Fit after the current epoch (Keras <c>model.stop_training</c>).</summary>
    public bool StopTraining { get; set; }

    /// <summary>True after Compile.</summary>
    public bool IsCompiled => Optimizer != null;

    /// <summary>The backend the model runs on, e.g. "cpu (2 threads, AVX-512)"; null before it is built.</summary>
    public string? Device => _compiled?.Backend.Name;

    /// <summary>
    /// Configures training with one loss (and one list of metrics) for every output. Strings and objects are
    /// interchangeable: <c>optimizer: "adam"</c> or <c>new Adam(1e-3)</c>; unknown names throw at once, listing
    /// the known ones. The optimizer defaults to <c>"rmsprop"</c> as Keras's <c>compile</c> does.
    /// <paramref name="lossWeights"/>: one weight per output, in order (default 1 each). The graphs are built
    /// here when the input shape is known (else at the first Fit/Evaluate/Predict).
    /// <paramref name="device"/>: "cpu", "cuda", "cuda:N" (default: $SEQUENTIAL_DEVICE, else automatic).
    /// As Keras 3, <paramref name="metrics"/> ignore sample and class weights and <paramref name="weightedMetrics"/>
    /// are weighted by them (named "weighted_" + name when <paramref name="metrics"/> has the name).
    /// </summary>
    public void Compile(Optimizer? optimizer = null, Loss? loss = null, IEnumerable<Metric>? metrics = null, string? device = null,
        IEnumerable<Metric>? weightedMetrics = null, IReadOnlyList<double>? lossWeights = null)
    {
        if (loss is null) throw new ArgumentNullException(nameof(loss), "Compile: expected a loss, e.g. loss: \"sparse_categorical_crossentropy\". Received: null.");
        CompileWith(optimizer, new CompileSpec { SingleLoss = loss, WeightList = lossWeights, SharedMetrics = WeightedMetric.Combine(metrics, weightedMetrics) }, device);
    }

    /// <summary>
    /// Configures training with a loss per output, keyed by output name (<see cref="OutputNames"/>), as Keras
    /// accepts dictionaries: <paramref name="lossWeights"/> and <paramref name="metrics"/> likewise (outputs
    /// left out weigh 1 and have no metrics).
    /// </summary>
    /// <exception cref="ArgumentException">A key names no output, or an output has no loss.</exception>
    public void Compile(Optimizer? optimizer, IReadOnlyDictionary<string, Loss> loss, IReadOnlyDictionary<string, double>? lossWeights = null,
        IReadOnlyDictionary<string, Metric[]>? metrics = null, string? device = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        CompileWith(optimizer, new CompileSpec { LossByName = loss, WeightByName = lossWeights, MetricsByName = metrics }, device);
    }

    /// <summary>Configures training with a loss per output in output order; <paramref name="lossWeights"/> and <paramref name="metrics"/> likewise.</summary>
    /// <exception cref="ArgumentException">The lists do not have one entry per output.</exception>
    public void Compile(Optimizer? optimizer, IReadOnlyList<Loss> loss, IReadOnlyList<double>? lossWeights = null,
        IReadOnlyList<Metric[]>? metrics = null, string? device = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        CompileWith(optimizer, new CompileSpec { LossList = loss, WeightList = lossWeights, MetricsList = metrics }, device);
    }

    private void CompileWith(Optimizer? optimizer, CompileSpec spec, string? device)
    {
        using var _ = Gate.Enter(nameof(Compile));
        spec.CheckMetrics();
        DisposeCompiled();
        Optimizer = optimizer ?? new RMSprop();
        _spec = spec;
        _device = device;
        Losses = []; LossWeights = []; OutputMetrics = [];
        CompiledMetrics = spec.AllMetrics();
        if (HasGraph) ResolveSpec();
        if (HasGraph) BuildCompiled();
    }

    /// <summary>Turns the compile arguments into one loss, weight and metric list per output.</summary>
    private void ResolveSpec()
    {
        var (losses, weights, metrics) = _spec!.Resolve(OutputNames);
        Losses = losses; LossWeights = weights; OutputMetrics = metrics;
    }

    /// <summary>Builds the graph (a Sequential, for <paramref name="inputShape"/>) and, if compiled, the graphs and device state.</summary>
    public override void Build(int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        using var _ = Gate.Enter(nameof(Build));
        BuildFor([inputShape]);
        if (IsCompiled && _compiled == null) BuildCompiled();
    }

    private void BuildCompiled()
    {
        if (Losses.Count == 0) ResolveSpec();
        var trainable = TrainableWeights.ToArray();
        var graphs = new ModelGraphs(this, Losses, LossWeights, OutputMetrics, Optimizer!);
        _compiled = new CompiledModel(Backends.Devices.Create(_device), graphs, RestoredSeed ?? Utils.Seed);
        _compiledTrainable = trainable;
    }

    /// <summary>The compiled model for data whose samples have <paramref name="sampleShapes"/>, current with the host weights.</summary>
    private CompiledModel Ready(string who, int[][] sampleShapes)
    {
        RequireCompiled(who);
        if (!HasGraph) BuildFor(sampleShapes);
        if (_compiled != null && !TrainableWeights.SequenceEqual(_compiledTrainable!))
            DisposeCompiled();           // Trainable changed since Compile: new plans at the next call (the optimizer keeps its state, the model its seed)
        if (_compiled == null) BuildCompiled();
        var compiled = _compiled!;
        compiled.Store.Refresh();
        return compiled;
    }

    private void RequireCompiled(string who)
    {
        if (!IsCompiled)
            throw new InvalidOperationException($"You must call Compile() before {who}(). Example: model.Compile(optimizer: \"adam\", loss: \"sparse_categorical_crossentropy\", metrics: [\"accuracy\"]).");
    }

    /// <summary>The compiled state, for tests and benchmarks that look inside a step.</summary>
    internal CompiledModel? CompiledForTests => _compiled;

    private bool _deviceAhead;     // train steps ran since the host copy was last brought up to date

    /// <summary>Train steps are about to change the device copy of the weights.</summary>
    internal void MarkDeviceAhead() => _deviceAhead = true;

    /// <summary>
    /// Brings the host copy of the weights up to date with the device after training (so every other model
    /// holding them refreshes); within Fit, GetWeights and Save from a callback call it too.
    /// </summary>
    internal void SyncHost()
    {
        if (!_deviceAhead || _compiled == null) return;
        _compiled.Store.Download();
        _deviceAhead = false;
    }

    /// <summary>After training: the host copy of the weights reflects it.</summary>
    internal void SyncAfterTraining() => SyncHost();

    /// <summary>Drops the compiled state (the graph changed: Sequential.Add/Pop); Compile's arguments stay and resolve again.</summary>
    private protected void ForgetCompiled()
    {
        DisposeCompiled();
        Losses = []; LossWeights = []; OutputMetrics = [];
    }

    /// <summary>Drops the compiled state after keeping the optimizer's state in the optimizer.</summary>
    private void DisposeCompiled()
    {
        if (_compiled == null) return;
        // After a device fault its copies are lost: keep the host weights and the optimizer's last host state.
        RestoredSeed = _compiled.State.Seed;     // the model keeps its seed (shuffles, dropout) when it compiles again
        try { if (_compiled.Backend is not Backends.IDeviceFault { Fault: not null }) { SyncHost(); _compiled.SaveOptimizerState(); } }
        finally
        {
            _compiled.Dispose();
            _compiled = null;
        }
    }

    /// <summary>Frees the device memory; the weights and the optimizer state stay on the host, and the next call compiles again.</summary>
    public void Dispose()
    {
        using (Gate.Enter(nameof(Dispose))) DisposeCompiled();
        GC.SuppressFinalize(this);
    }
}
