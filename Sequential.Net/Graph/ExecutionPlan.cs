using SequentialNet.Backends;

namespace SequentialNet.Graph;

/// <summary>
/// A graph lowered for one batch size: the live ops in order, each with its buffers bound. Running it is
/// a loop of primitive calls; it allocates nothing.
/// </summary>
internal sealed class ExecutionPlan
{
    private readonly Op[] _ops;
    private readonly OpArgs[] _args;

    private ExecutionPlan(Op[] ops, OpArgs[] args, Dictionary<Node, DeviceBuffer> buffers, int batch)
    {
        _ops = ops; _args = args; Buffers = buffers; Batch = batch;
    }

    public int Batch { get; }
    public Dictionary<Node, DeviceBuffer> Buffers { get; }
    public int OpCount => _ops.Length;

    public void Run(IBackend backend)
    {
        for (int i = 0; i < _ops.Length; i++) _ops[i].Run(backend, in _args[i]);
    }

    /// <summary>
    /// Runs the plan once like <see cref="Run"/>, waiting for the backend after each op and adding its wall time in
    /// Stopwatch ticks to <paramref name="ticks"/>[i] (one slot per op, <see cref="OpCount"/>): the benchmark's
    /// per-op profile of a training step. Not used in training.
    /// </summary>
    public void RunTimed(IBackend backend, long[] ticks)
    {
        for (int i = 0; i < _ops.Length; i++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            _ops[i].Run(backend, in _args[i]);
            backend.Synchronize();
            ticks[i] += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>The name of op <paramref name="i"/> of the plan and the shape of its output node, for profiles.</summary>
    public string Describe(int i) => $"{_ops[i].Name} {Tensor.FormatShape(_args[i].Node.Shape)}";

    /// <summary>The arena length a plan for these sinks needs (to size the shared arena first).</summary>
    public static int ArenaLength(IReadOnlyList<Node> nodes, IReadOnlyCollection<Node> sinks, IReadOnlyDictionary<Node, DeviceBuffer> bound, int batch)
    {
        var order = LiveOrder(nodes, sinks);
        return MemoryPlanner.Plan(order, new HashSet<Node>(bound.Keys), new HashSet<Node>(sinks), batch, []);
    }

    /// <summary>
    /// Lowers the part of the graph that <paramref name="sinks"/> need. <paramref name="bound"/> gives the
    /// buffers fixed from outside (inputs, parameters, gradient views); everything else goes in the arena.
    /// </summary>
    public static ExecutionPlan Lower(IBackend backend, IReadOnlyList<Node> nodes, IReadOnlyCollection<Node> sinks,
        IReadOnlyDictionary<Node, DeviceBuffer> bound, DeviceBuffer arena, DeviceBuffer empty, ModelState state, int batch)
    {
        var order = LiveOrder(nodes, sinks);
        var placements = new Dictionary<Node, MemoryPlanner.Placement>();
        int needed = MemoryPlanner.Plan(order, new HashSet<Node>(bound.Keys), new HashSet<Node>(sinks), batch, placements);
        if (needed > arena.Length) throw new InvalidOperationException($"Internal: arena of {arena.Length} floats is smaller than the {needed} this plan needs.");

        var buffers = new Dictionary<Node, DeviceBuffer>();
        foreach (Node node in order) buffers[node] = BufferFor(backend, node, bound, placements, buffers, arena, empty, batch);
        var ops = new List<Op>();
        var args = new List<OpArgs>();
        foreach (Node node in order)
        {
            if (node.Op.IsAlias || bound.ContainsKey(node) && node.Inputs.Length == 0) continue;
            ops.Add(node.Op);
            args.Add(new OpArgs(node.Inputs.Select(i => buffers[i]).ToArray(), buffers[node], node, batch, state));
        }
        return new ExecutionPlan(ops.ToArray(), args.ToArray(), buffers, batch);
    }

    private static DeviceBuffer BufferFor(IBackend backend, Node node, IReadOnlyDictionary<Node, DeviceBuffer> bound,
        Dictionary<Node, MemoryPlanner.Placement> placements, Dictionary<Node, DeviceBuffer> done, DeviceBuffer arena, DeviceBuffer empty, int batch)
    {
        if (bound.TryGetValue(node, out var fixedBuffer)) return fixedBuffer;
        int size = node.Size(batch);
        if (size == 0) return empty;
        if (node.Op.IsAlias)
        {
            DeviceBuffer source = done[node.Inputs[0]];
            int offset = node.Op.AliasOffset(node, batch);
            return offset == 0 && size == source.Length ? source : backend.View(source, offset, size);
        }
        return backend.View(arena, placements[node].Offset, size);
    }

    /// <summary>Nodes the sinks depend on, in emission (topological) order.</summary>
    public static List<Node> LiveOrder(IReadOnlyList<Node> nodes, IReadOnlyCollection<Node> sinks)
    {
        var needed = new HashSet<Node>();
        var stack = new Stack<Node>(sinks);
        while (stack.Count > 0)
        {
            Node n = stack.Pop();
            if (!needed.Add(n)) continue;
            foreach (Node i in n.Inputs) stack.Push(i);
        }
        return nodes.Where(needed.Contains).ToList();
    }
}
