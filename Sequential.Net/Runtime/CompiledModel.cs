using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet;

/// <summary>Which lowered plan to run.</summary>
internal enum PlanKind { Train, Evaluate, Predict }

/// <summary>
/// A model bound to a backend: its graphs (built once by <see cref="ModelGraphs"/>), the parameters,
/// optimizer slots and state on the device, one arena shared by all plans, and a plan per
/// (kind, batch size). Owns every device buffer it allocates and frees them in <see cref="Dispose"/>.
/// A cache: the weights belong to the layers and the optimizer's state to the optimizer, so dropping it
/// and compiling again changes no result. Not thread-safe: the model's gate serializes its callers.
/// </summary>
internal sealed partial class CompiledModel : IDisposable
{
    /// <summary>First accumulator of the train region (the losses, then the metrics' slots).</summary>
    public int TrainAccumulators => 0;
    /// <summary>First accumulator of the evaluation region, after the train region.</summary>
    public int EvalAccumulators => Graphs.AccumulatorStride;

    private readonly Dictionary<(PlanKind, int), ExecutionPlan> _plans = [];
    private readonly Dictionary<StepKey, nint> _captures = [];
    private readonly HashSet<StepKey> _ranOnce = [];
    private readonly HashSet<StepKey> _eagerOnly = [];   // shapes whose recording failed
    private readonly bool _captureEnabled = Environment.GetEnvironmentVariable("SEQUENTIAL_NET_CAPTURE") != "0";
    private readonly DeviceBuffer _empty;
    private DeviceBuffer _arena;
    private readonly DeviceBuffer[] _inputStaging, _labelStaging;
    // Loss weights, one staging buffer per mode (index 0 train, 1 evaluate) and output, so that a weighted
    // train step never leaves its weights under a recorded unweighted validation step (or the reverse).
    private readonly DeviceBuffer[][] _weightStaging = new DeviceBuffer[2][];
    private readonly bool[] _weightsAreOnes = new bool[2];   // the staging holds ones: unweighted steps need not refill it
    private int _capacity;

    public CompiledModel(IBackend backend, ModelGraphs graphs, ulong seed)
    {
        Backend = backend;
        Graphs = graphs;
        Store = new ParameterStore(backend, graphs.TrainableVariables, graphs.FrozenVariables);
        State = new ModelState(backend, seed, 2 * graphs.AccumulatorStride);
        State.ScheduleTables = graphs.Optimizer.Schedule?.UploadTables(backend);
        Slots = [.. Enumerable.Range(0, graphs.Optimizer.StateSlotCount).Select(_ => backend.Allocate(Store.Params.Length))];
        graphs.Optimizer.InitializeSlots(backend, Slots);
        LoadOptimizerState();
        graphs.BindOptimizer(Store, Slots);
        _empty = backend.Allocate(0);
        _arena = backend.Allocate(0);
        _inputStaging = [.. graphs.Train.Inputs.Select(_ => backend.Allocate(0))];
        _labelStaging = [.. graphs.Train.Labels.Select(_ => backend.Allocate(0))];
        for (int mode = 0; mode < 2; mode++) _weightStaging[mode] = [.. graphs.Train.Labels.Select(_ => backend.Allocate(0))];
    }

    public IBackend Backend { get; }
    public ModelGraphs Graphs { get; }
    public ParameterStore Store { get; }
    public ModelState State { get; }
    public DeviceBuffer[] Slots { get; }

    /// <summary>Everything a recorded step depends on besides device state (the data arrays are compared by reference).</summary>
    private readonly record struct StepKey(PlanKind Kind, int Batch, DeviceBuffer[] X, DeviceBuffer[]? Y, DeviceBuffer[]? W, RowOrder Order, int CursorSlot);

    /// <summary>
    /// Gathers a batch at the cursor (one array per input, and per output for targets and weights), advances
    /// it, and runs the plan. On a backend that can record steps the first step of a shape runs eagerly, the
    /// second is recorded, and later ones replay the recording. <paramref name="w"/>: each output's per-sample
    /// loss weights of a train or evaluate step (gathered like y); null: all ones.
    /// </summary>
    public ExecutionPlan Step(PlanKind kind, int batch, DeviceBuffer[] x, DeviceBuffer[]? y, in RowOrder order, int cursorSlot, DeviceBuffer[]? w = null)
    {
        var plan = Plan(kind, batch);
        if (!_captureEnabled || Backend is not IStepCapture capture)
        {
            RunStep(plan, kind, batch, x, y, w, order, cursorSlot);
            return plan;
        }
        var key = new StepKey(kind, batch, x, y, w, order, cursorSlot);
        if (_captures.TryGetValue(key, out nint recorded)) capture.Replay(recorded);
        else if (_ranOnce.Add(key) || _eagerOnly.Contains(key)) RunStep(plan, kind, batch, x, y, w, order, cursorSlot);
        else RecordStep(capture, key, plan, order);
        return plan;
    }

    /// <summary>Records a step shape and replays it; a shape whose recording fails runs eagerly from then on (StepCaptureGuard).</summary>
    private void RecordStep(IStepCapture capture, StepKey key, ExecutionPlan plan, RowOrder order)
    {
        nint recorded = StepCaptureGuard.Record(capture, () => RunStep(plan, key.Kind, key.Batch, key.X, key.Y, key.W, order, key.CursorSlot));
        if (recorded == 0)
        {
            _eagerOnly.Add(key);
            RunStep(plan, key.Kind, key.Batch, key.X, key.Y, key.W, order, key.CursorSlot);
            return;
        }
        _captures[key] = recorded;
        capture.Replay(recorded);
    }

    private ResidentData? _resident;

    /// <summary>Whether Fit's data stays on the device between Fit calls (<see cref="ResidentData"/>).</summary>
    public bool KeepsData => ResidentData.Supported(Backend);

    /// <summary>A Fit starts using data: on a backend that keeps it, what this Fit does not use again is freed at <see cref="EndDataUse"/>.</summary>
    public void BeginDataUse() => (_resident ??= new ResidentData(Backend)).BeginFit();

    /// <summary>The device copies of Fit's <paramref name="arrays"/> (kept from an earlier Fit when their contents match).</summary>
    public DeviceBuffer[] UseData(float[][] arrays) => _resident!.Use(arrays);

    /// <summary>Frees the data of earlier Fits that this one did not use, releasing the recorded steps first (they read it).</summary>
    public void EndDataUse()
    {
        if (_resident is not { HasUnused: true }) return;
        ReleaseCaptures();
        _resident.FreeUnused();
    }

    /// <summary>Forgets the recorded steps that read any of <paramref name="data"/> (a call's own uploads, about to be freed); others stay.</summary>
    public void ReleaseCaptures(DeviceBuffer[] data)
    {
        if (Backend is not IStepCapture capture) return;
        foreach (var key in _captures.Keys.Where(k => k.X == data || k.Y == data || k.W == data).ToList())
        {
            capture.DestroyCapture(_captures[key]);
            _captures.Remove(key);
        }
        _ranOnce.RemoveWhere(k => k.X == data || k.Y == data || k.W == data);
    }

    /// <summary>Forgets recorded steps (their data buffers are about to go away, or the arena moved).</summary>
    public void ReleaseCaptures()
    {
        if (Backend is IStepCapture capture)
            foreach (nint recorded in _captures.Values) capture.DestroyCapture(recorded);
        _captures.Clear();
        _ranOnce.Clear();
    }

    private void RunStep(ExecutionPlan plan, PlanKind kind, int batch, DeviceBuffer[] x, DeviceBuffer[]? y, DeviceBuffer[]? w, in RowOrder order, int cursorSlot)
    {
        var g = Graphs.For(kind);
        for (int i = 0; i < x.Length; i++)
            Backend.GatherRows(x[i], plan.Buffers[g.Inputs[i]], batch, g.Inputs[i].InnerSize, State.Counters, cursorSlot, order);
        if (y != null && kind != PlanKind.Predict)
            for (int o = 0; o < y.Length; o++)
                Backend.GatherRows(y[o], plan.Buffers[g.Labels[o]], batch, g.Labels[o].InnerSize, State.Counters, cursorSlot, order);
        if (kind != PlanKind.Predict) StageWeights(plan, g, kind, batch, w, order, cursorSlot);
        Backend.AddToCounter(State.Counters, cursorSlot, batch);
        plan.Run(Backend);
    }

    private void StageWeights(ExecutionPlan plan, ModelGraphs.Part g, PlanKind kind, int batch, DeviceBuffer[]? w, in RowOrder order, int cursorSlot)
    {
        int mode = WeightMode(kind);
        if (w != null)
        {
            for (int o = 0; o < w.Length; o++)
                Backend.GatherRows(w[o], plan.Buffers[g.SampleWeights[o]], batch, g.SampleWeights[o].InnerSize, State.Counters, cursorSlot, order);
            _weightsAreOnes[mode] = false;
        }
        else if (!_weightsAreOnes[mode])
        {
            foreach (var staging in _weightStaging[mode]) Backend.Fill(staging, 1f);   // once, not per step (recorded unweighted steps of this mode never see other values)
            _weightsAreOnes[mode] = true;
        }
    }

    /// <summary>The plan for (kind, batch), lowered on first use; grows the arena and staging if needed.</summary>
    public ExecutionPlan Plan(PlanKind kind, int batch)
    {
        if (_plans.TryGetValue((kind, batch), out var plan)) return plan;
        var g = Graphs.For(kind);
        EnsureStaging(batch);
        var bound = Bindings(kind, batch);
        int needed = ExecutionPlan.ArenaLength(g.Builder.Nodes, g.Sinks(kind), bound, batch);
        if (needed > _arena.Length)
        {
            _arena.Dispose();
            _arena = Backend.Allocate(needed);
            _plans.Clear();    // every cached plan pointed into the old arena
            ReleaseCaptures();
        }
        plan = ExecutionPlan.Lower(Backend, g.Builder.Nodes, g.Sinks(kind), bound, _arena, _empty, State, batch);
        _plans[(kind, batch)] = plan;
        return plan;
    }

    /// <summary>The weight staging of a plan kind: Predict shares Evaluate's graph and so its staging.</summary>
    private static int WeightMode(PlanKind kind) => kind == PlanKind.Train ? 0 : 1;

    private Dictionary<Node, DeviceBuffer> Bindings(PlanKind kind, int batch)
    {
        var g = Graphs.For(kind);
        var bound = new Dictionary<Node, DeviceBuffer>();
        for (int i = 0; i < g.Inputs.Length; i++) bound[g.Inputs[i]] = Backend.View(_inputStaging[i], 0, g.Inputs[i].Size(batch));
        for (int o = 0; o < g.Labels.Length; o++)
        {
            bound[g.Labels[o]] = Backend.View(_labelStaging[o], 0, g.Labels[o].Size(batch));
            bound[g.SampleWeights[o]] = Backend.View(_weightStaging[WeightMode(kind)][o], 0, g.SampleWeights[o].Size(batch));
        }
        foreach (var (variable, node) in g.Parameters) bound[node] = Store.ValueOf(variable);
        foreach (Node node in g.Builder.Nodes)
            if (node.Op is Graph.Ops.AssignOp assign) bound[node] = Store.ValueOf(assign.Variable);
        if (kind == PlanKind.Train)
            foreach (var (variable, node) in Graphs.GradientNodes) bound[node] = Store.GradOf(variable);
        return bound;
    }

    private void EnsureStaging(int batch)
    {
        if (batch <= _capacity) return;
        foreach (var part in new[] { Graphs.Train, Graphs.Evaluate })   // Size checks batch × values per sample against int, naming the node
            foreach (var node in part.Inputs.Concat(part.Labels).Concat(part.SampleWeights)) _ = node.Size(batch);
        var (train, eval) = (Graphs.Train, Graphs.Evaluate);
        for (int i = 0; i < _inputStaging.Length; i++)
            Replace(ref _inputStaging[i], batch * Math.Max(train.Inputs[i].InnerSize, eval.Inputs[i].InnerSize));
        for (int o = 0; o < _labelStaging.Length; o++)
        {
            Replace(ref _labelStaging[o], batch * Math.Max(train.Labels[o].InnerSize, eval.Labels[o].InnerSize));
            Replace(ref _weightStaging[0][o], batch * train.SampleWeights[o].InnerSize);
            Replace(ref _weightStaging[1][o], batch * eval.SampleWeights[o].InnerSize);
        }
        _weightsAreOnes[0] = _weightsAreOnes[1] = false;
        _capacity = batch;
        _plans.Clear();     // plans bound views of the old staging buffers
        ReleaseCaptures();
    }

    private void Replace(ref DeviceBuffer buffer, int length)
    {
        buffer.Dispose();
        buffer = Backend.Allocate(length);
    }

    public void Dispose()
    {
        ReleaseCaptures();
        _resident?.Dispose();
        _plans.Clear();
        Store.Dispose();
        State.Dispose();
        foreach (var s in Slots) s.Dispose();
        _arena.Dispose(); _empty.Dispose();
        foreach (var b in _inputStaging.Concat(_labelStaging).Concat(_weightStaging[0]).Concat(_weightStaging[1])) b.Dispose();
        Backend.Dispose();
    }
}
