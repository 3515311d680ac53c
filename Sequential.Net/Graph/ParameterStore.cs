using SequentialNet.Backends;

namespace SequentialNet.Graph;

/// <summary>
/// All trainable parameters in one flat device buffer (and their gradients in another of the same
/// layout), so an optimizer step is one pass over contiguous memory. Non-trainable variables get their
/// own flat buffer. Each variable is a view at a 16-float-aligned offset.
/// </summary>
internal sealed class ParameterStore : IDisposable
{
    private readonly IBackend _backend;
    private readonly Dictionary<Variable, (DeviceBuffer Value, DeviceBuffer? Grad)> _views = [];
    private readonly Dictionary<Variable, int> _trainableOffsets = [];

    public ParameterStore(IBackend backend, IReadOnlyList<Variable> trainable, IReadOnlyList<Variable> frozenVariables)
    {
        _backend = backend;
        _all = [.. trainable, .. frozenVariables];
        Variables = _all;
        Trainable = trainable.ToArray();
        var frozen = frozenVariables.ToArray();
        var trainableOffsets = Layout(Trainable, out int trainableLength);
        var frozenOffsets = Layout(frozen, out int frozenLength);
        Params = backend.Allocate(Math.Max(1, trainableLength));
        Grads = backend.Allocate(Math.Max(1, trainableLength));
        Frozen = backend.Allocate(Math.Max(1, frozenLength));
        TrainableLength = trainableLength;
        for (int i = 0; i < Trainable.Length; i++) _trainableOffsets[Trainable[i]] = trainableOffsets[i];
        Segments = backend.AllocateInt(Math.Max(2, 2 * Trainable.Length));
        SquaredNorms = backend.Allocate(Math.Max(1, Trainable.Length));
        var segments = new int[Math.Max(2, 2 * Trainable.Length)];
        for (int i = 0; i < Trainable.Length; i++) { segments[2 * i] = trainableOffsets[i]; segments[2 * i + 1] = Trainable[i].Length; }
        backend.UploadInt(segments, Segments);
        for (int i = 0; i < Trainable.Length; i++)
            _views[Trainable[i]] = (backend.View(Params, trainableOffsets[i], Trainable[i].Length), backend.View(Grads, trainableOffsets[i], Trainable[i].Length));
        for (int i = 0; i < frozen.Length; i++)
            _views[frozen[i]] = (backend.View(Frozen, frozenOffsets[i], frozen[i].Length), null);
        Upload();
    }

    public IReadOnlyList<Variable> Variables { get; }
    private readonly Variable[] _all;      // iterated per step by Refresh, without an enumerator
    public Variable[] Trainable { get; }
    public DeviceBuffer Params { get; }
    public DeviceBuffer Grads { get; }
    public DeviceBuffer Frozen { get; }
    /// <summary>(offset, length) of each trainable variable in <see cref="Params"/> (int), for per-variable gradient clipping.</summary>
    public DeviceBuffer Segments { get; }
    /// <summary>Scratch for each trainable variable's Σg² (gradient-norm clipping).</summary>
    public DeviceBuffer SquaredNorms { get; }
    /// <summary>Floats used in <see cref="Params"/>, padding included.</summary>
    public int TrainableLength { get; }

    public DeviceBuffer ValueOf(Variable v) => _views[v].Value;
    /// <summary>Where a trainable variable starts in <see cref="Params"/> (and in every optimizer slot, which share the layout).</summary>
    public int OffsetOf(Variable v) => _trainableOffsets[v];
    public DeviceBuffer GradOf(Variable v) => _views[v].Grad ?? throw new InvalidOperationException($"{v.Name} is not trainable.");

    // The host version of each variable that the device copy holds (see Variable.Version).
    private readonly Dictionary<Variable, long> _held = [];

    /// <summary>Host values → device.</summary>
    public void Upload()
    {
        lock (Variable.HostSync)
            foreach (var v in Variables) { _backend.Upload(v.Value, _views[v].Value); _held[v] = v.Version; }
    }

    /// <summary>
    /// Uploads the variables whose host values changed since this device copy was made (SetWeights, a
    /// layer's Adapt, or another model that shares the layer and trained it). Cheap when nothing changed.
    /// </summary>
    public void Refresh()
    {
        lock (Variable.HostSync)
            foreach (var v in _all)
                if (_held[v] != v.Version) { _backend.Upload(v.Value, _views[v].Value); _held[v] = v.Version; }
    }

    /// <summary>Device values → host (after training changed them); other models holding these variables then refresh.</summary>
    public void Download()
    {
        lock (Variable.HostSync)
            foreach (var v in Variables) { _backend.Download(_views[v].Value, v.Value); _held[v] = v.Changed(); }
    }

    private static int[] Layout(Variable[] variables, out int length)
    {
        var offsets = new int[variables.Length];
        length = 0;
        for (int i = 0; i < variables.Length; i++)
        {
            offsets[i] = length;
            length += (variables[i].Length + 15) / 16 * 16;
        }
        return offsets;
    }

    public void Dispose()
    {
        Params.Dispose(); Grads.Dispose(); Frozen.Dispose(); Segments.Dispose(); SquaredNorms.Dispose();
    }
}
