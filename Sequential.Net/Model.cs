using SequentialNet.Callbacks;
using SequentialNet.Layers;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;

namespace SequentialNet;

/// <summary>
/// A trainable model: <see cref="Compile"/>, then <see cref="Fit"/>, <see cref="Evaluate"/> and
/// <see cref="Predict"/> with Keras semantics. Holds device memory once compiled: dispose it (or let the
/// next Compile replace it) to free the memory deterministically.
/// </summary>
public abstract partial class Model : IDisposable
{
    private CompiledModel? _compiled;
    private bool _deviceStale;      // host weights changed since the device copy was made

    /// <summary>Creates a model with a name (Keras: "sequential", "sequential_1", …).</summary>
    protected Model(string? name) => Name = name ?? "model";

    /// <summary>The model's name, shown by <see cref="Summary"/>.</summary>
    public string Name { get; set; }

    /// <summary>The layers, in order.</summary>
    public abstract IReadOnlyList<Layer> Layers { get; }

    /// <summary>The input shape without the batch axis, once known (from the first layer or the first data seen).</summary>
    public int[]? InputShape { get; protected set; }

    /// <summary>The optimizer given to Compile.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss given to Compile.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The metrics given to Compile.</summary>
    public IReadOnlyList<Metric> CompiledMetrics { get; private set; } = [];

    /// <summary>Set by a callback to stop Fit after the current epoch (Keras <c>model.stop_training</c>).</summary>
    public bool StopTraining { get; set; }

    /// <summary>True after <see cref="Compile"/>.</summary>
    public bool IsCompiled => Optimizer != null;

    /// <summary>The backend the model runs on, e.g. "cpu (2 threads, AVX-512)"; null before it is built.</summary>
    public string? Device => _compiled?.Backend.Name;

    private string? _device;

    /// <summary>
    /// Configures training. Strings and objects are interchangeable: <c>optimizer: "adam"</c> or
    /// <c>new Adam(1e-3)</c>; unknown names throw at once, listing the known ones. The optimizer defaults
    /// to <c>"rmsprop"</c> with Keras's defaults, as Keras's <c>compile</c> does. The graphs are built
    /// here when the input shape is known (else at the first Fit/Evaluate/Predict).
    /// <paramref name="device"/>: "cpu", "cuda", "cuda:N" (default: $SEQUENTIAL_DEVICE, else automatic).
    /// </summary>
    public void Compile(Optimizer? optimizer = null, Loss? loss = null, IEnumerable<Metric>? metrics = null, string? device = null)
    {
        Optimizer = optimizer ?? new RMSprop();
        Loss = loss ?? throw new ArgumentNullException(nameof(loss), "Compile: expected a loss, e.g. loss: \"sparse_categorical_crossentropy\". Received: null.");
        CompiledMetrics = metrics?.ToArray() ?? [];
        var duplicate = CompiledMetrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new ArgumentException($"Compile: metric \"{duplicate.Key}\" is listed twice.", nameof(metrics));
        _device = device;
        DisposeCompiled();
        if (InputShape != null) Build(InputShape);
    }

    /// <summary>Builds the layers for <paramref name="inputShape"/> and, if compiled, the graphs and device state.</summary>
    public void Build(int[] inputShape)
    {
        BuildLayers(inputShape);
        if (!IsCompiled || _compiled != null) return;
        var graphs = new ModelGraphs(Layers, InputShape!, Loss!, CompiledMetrics, Optimizer!);
        _compiled = new CompiledModel(Backends.Devices.Create(_device), graphs, RestoredSeed ?? Utils.Seed);
    }

    /// <summary>Builds every layer in turn, checking each fits the previous one's output.</summary>
    protected abstract void BuildLayers(int[] inputShape);

    /// <summary>The compiled model for data whose samples have <paramref name="sampleShape"/>.</summary>
    private CompiledModel Ready(string who, int[] sampleShape)
    {
        RequireCompiled(who);
        ApplyTrainableChanges();
        if (InputShape == null) Build(sampleShape);
        else if (_compiled == null) Build(InputShape);
        var compiled = _compiled!;
        if (_deviceStale) { compiled.Store.Upload(); _deviceStale = false; }
        return compiled;
    }

    private void RequireCompiled(string who)
    {
        if (!IsCompiled)
            throw new InvalidOperationException($"You must call Compile() before {who}(). Example: model.Compile(optimizer: \"adam\", loss: \"sparse_categorical_crossentropy\", metrics: [\"accuracy\"]).");
    }

    /// <summary>The compiled state, for tests and benchmarks that look inside a step.</summary>
    internal CompiledModel? CompiledForTests => _compiled;

    /// <summary>All weights in Keras order (layer by layer, kernel before bias).</summary>
    public IReadOnlyList<Variable> Weights => Layers.SelectMany(l => l.Weights).ToList();

    /// <summary>Copies of all weights' values, in <see cref="Weights"/> order.</summary>
    public Tensor[] GetWeights()
    {
        SyncHost();
        return Weights.Select(w => w.ToTensor()).ToArray();
    }

    /// <summary>Replaces all weights' values, in <see cref="Weights"/> order; shapes must match.</summary>
    public void SetWeights(IReadOnlyList<Tensor> values)
    {
        var weights = Weights;
        if (values.Count != weights.Count)
            throw new ArgumentException($"SetWeights: expected {weights.Count} arrays (one per weight). Received: {values.Count}.", nameof(values));
        for (int i = 0; i < weights.Count; i++)
        {
            if (!values[i].Shape.AsSpan().SequenceEqual(weights[i].Shape))
                throw new ArgumentException($"SetWeights: weight {i} ({weights[i].Name}) expected shape {Tensor.FormatShape(weights[i].Shape)}. Received: {Tensor.FormatShape(values[i].Shape)}.", nameof(values));
        }
        SyncHost();
        for (int i = 0; i < weights.Count; i++) values[i].Data.CopyTo(weights[i].Value, 0);
        _deviceStale = true;
    }

    /// <summary>
    /// Runs <paramref name="edit"/>, which writes weights' host values (a layer's Adapt), with the host copy
    /// current before it and the device copy refreshed before the next Fit/Evaluate/Predict.
    /// </summary>
    internal void EditHostWeights(Action edit)
    {
        SyncHost();
        edit();
        if (_compiled != null) _deviceStale = true;
    }

    /// <summary>Total number of scalar weights.</summary>
    public int CountParams() => Layers.Sum(l => l.CountParams());

    /// <summary>After Fit: the host copy of the weights reflects the training.</summary>
    internal void SyncAfterTraining() => SyncHost();

    /// <summary>Brings the host copy of the weights up to date with the device.</summary>
    private void SyncHost()
    {
        if (_compiled != null && !_deviceStale) _compiled.Store.Download();
    }

    private void DisposeCompiled()
    {
        if (_compiled == null) return;
        SyncHost();
        _compiled.Dispose();
        _compiled = null;
        _deviceStale = false;
    }

    /// <summary>Frees the device memory; the weights stay on the host, and the model can be compiled again.</summary>
    public void Dispose()
    {
        DisposeCompiled();
        GC.SuppressFinalize(this);
    }
}
