using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet;

/// <summary>Which lowered plan to run.</summary>
internal enum PlanKind { Train, Evaluate, Predict }

/// <summary>
/// A model bound to a backend: its graphs (built once by <see cref="ModelGraphs"/>), the parameters,
/// optimizer slots and state on the device, one arena shared by all plans, and a plan per
/// (kind, batch size). Owns every device buffer it allocates and frees them in <see cref="Dispose"/>.
/// </summary>
internal sealed class CompiledModel : IDisposable
{
    /// <summary>First accumulator of the train region (loss, then the metrics' slots).</summary>
    public int TrainAccumulators => 0;
    /// <summary>First accumulator of the evaluation region, after the train region.</summary>
    public int EvalAccumulators => Graphs.AccumulatorStride;

    private readonly Dictionary<(PlanKind, int), ExecutionPlan> _plans = [];
    private readonly Dictionary<StepKey, nint> _captures = [];
    private readonly HashSet<StepKey> _ranOnce = [];
    private readonly bool _captureEnabled = Environment.GetEnvironmentVariable("SEQUENTIAL_NET_CAPTURE") != "0";
    private readonly DeviceBuffer _empty;
    private DeviceBuffer _arena;
    private DeviceBuffer _inputStaging, _labelStaging;
    // Loss weights, one staging buffer per mode (index 0 train, 1 evaluate) so that a weighted train step
    // never leaves its weights under a recorded unweighted validation step (or the reverse).
    private readonly DeviceBuffer[] _weightStaging = new DeviceBuffer[2];
    private readonly bool[] _weightsAreOnes = new bool[2];   // the staging holds ones: unweighted steps need not refill it
    private int _capacity;

    public CompiledModel(IBackend backend, ModelGraphs graphs, ulong seed)
    {
        Backend = backend;
        Graphs = graphs;
        Store = new ParameterStore(backend, graphs.TrainableVariables, graphs.FrozenVariables);
        State = new ModelState(backend, seed, 2 * graphs.AccumulatorStride);
        State.ScheduleTables = graphs.Optimizer.Schedule?.UploadTables(backend);
        Slots = Enumerable.Range(0, graphs.Optimizer.SlotCount).Select(_ => backend.Allocate(Store.Params.Length)).ToArray();
        graphs.Optimizer.InitializeSlots(backend, Slots);
        graphs.BindOptimizer(Store, Slots);
        _empty = backend.Allocate(0);
        _arena = backend.Allocate(0);
        _inputStaging = backend.Allocate(0);
        _labelStaging = backend.Allocate(0);
        _weightStaging[0] = backend.Allocate(0);
        _weightStaging[1] = backend.Allocate(0);
    }

    public IBackend Backend { get; }
    public ModelGraphs Graphs { get; }
    public ParameterStore Store { get; }
    public ModelState State { get; }
    public DeviceBuffer[] Slots { get; }

    /// <summary>Everything a recorded step depends on besides device state.</summary>
    private readonly record struct StepKey(PlanKind Kind, int Batch, DeviceBuffer X, DeviceBuffer? Y, DeviceBuffer? W, RowOrder Order, int CursorSlot);

    /// <summary>
    /// Gathers a batch at the cursor, advances it, and runs the plan. On a backend that can record steps
    /// the first step of a shape runs eagerly, the second is recorded, and later ones replay the recording.
    /// <paramref name="w"/>: the per-sample loss weights of a train or evaluate step (gathered like y); null: all ones.
    /// </summary>
    public ExecutionPlan Step(PlanKind kind, int batch, DeviceBuffer x, DeviceBuffer? y, in RowOrder order, int cursorSlot, DeviceBuffer? w = null)
    {
        var plan = Plan(kind, batch);
        if (!_captureEnabled || Backend is not IStepCapture capture)
        {
            RunStep(plan, kind, batch, x, y, w, order, cursorSlot);
            return plan;
        }
        var key = new StepKey(kind, batch, x, y, w, order, cursorSlot);
        if (_captures.TryGetValue(key, out nint recorded)) capture.Replay(recorded);
        else if (_ranOnce.Add(key)) RunStep(plan, kind, batch, x, y, w, order, cursorSlot);
        else
        {
            capture.BeginCapture();
            RunStep(plan, kind, batch, x, y, w, order, cursorSlot);
            recorded = _captures[key] = capture.EndCapture();
            capture.Replay(recorded);
        }
        return plan;
    }

    /// <summary>Forgets recorded steps (their data buffers are about to go away, or the arena moved).</summary>
    public void ReleaseCaptures()
    {
        if (Backend is IStepCapture capture)
            foreach (nint recorded in _captures.Values) capture.DestroyCapture(recorded);
        _captures.Clear();
        _ranOnce.Clear();
    }

    private void RunStep(ExecutionPlan plan, PlanKind kind, int batch, DeviceBuffer x, DeviceBuffer? y, DeviceBuffer? w, in RowOrder order, int cursorSlot)
    {
        var g = Graphs.For(kind);
        Backend.GatherRows(x, plan.Buffers[g.Input], batch, g.Input.InnerSize, State.Counters, cursorSlot, order);
        if (y != null && kind != PlanKind.Predict)
            Backend.GatherRows(y, plan.Buffers[g.Labels], batch, g.Labels.InnerSize, State.Counters, cursorSlot, order);
        if (kind != PlanKind.Predict && g.SampleWeights is Node weights)
        {
            int mode = WeightMode(kind);
            if (w != null)
            {
                Backend.GatherRows(w, plan.Buffers[weights], batch, weights.InnerSize, State.Counters, cursorSlot, order);
                _weightsAreOnes[mode] = false;
            }
            else if (!_weightsAreOnes[mode])
            {
                Backend.Fill(_weightStaging[mode], 1f);     // once, not per step (recorded unweighted steps of this mode never see other values)
                _weightsAreOnes[mode] = true;
            }
        }
        Backend.AddToCounter(State.Counters, cursorSlot, batch);
        plan.Run(Backend);
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
        var bound = new Dictionary<Node, DeviceBuffer>
        {
            [g.Input] = Backend.View(_inputStaging, 0, g.Input.Size(batch)),
            [g.Labels] = Backend.View(_labelStaging, 0, g.Labels.Size(batch)),
        };
        if (g.SampleWeights is Node weights) bound[weights] = Backend.View(_weightStaging[WeightMode(kind)], 0, weights.Size(batch));
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
            _ = (part.Input.Size(batch), part.Labels.Size(batch), part.SampleWeights?.Size(batch));
        int inputs = Math.Max(Graphs.Train.Input.InnerSize, Graphs.Evaluate.Input.InnerSize);
        int labels = Math.Max(Graphs.Train.Labels.InnerSize, Graphs.Evaluate.Labels.InnerSize);
        _inputStaging.Dispose(); _labelStaging.Dispose();
        _inputStaging = Backend.Allocate(batch * inputs);
        _labelStaging = Backend.Allocate(batch * labels);
        for (int mode = 0; mode < 2; mode++)
        {
            var part = mode == 0 ? Graphs.Train : Graphs.Evaluate;
            _weightStaging[mode].Dispose();
            _weightStaging[mode] = Backend.Allocate(batch * (part.SampleWeights?.InnerSize ?? 0));
            _weightsAreOnes[mode] = false;
        }
        _capacity = batch;
        _plans.Clear();     // plans bound views of the old staging buffers
        ReleaseCaptures();
    }

    public void Dispose()
    {
        ReleaseCaptures();
        _plans.Clear();
        Store.Dispose();
        State.Dispose();
        foreach (var s in Slots) s.Dispose();
        _arena.Dispose(); _inputStaging.Dispose(); _labelStaging.Dispose(); _weightStaging[0].Dispose(); _weightStaging[1].Dispose(); _empty.Dispose();
        Backend.Dispose();
    }
}
