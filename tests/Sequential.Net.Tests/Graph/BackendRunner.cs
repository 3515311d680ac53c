using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Tests.Graph;

/// <summary>Lowers an op case on a backend, runs it once and reads every node back.</summary>
internal static class BackendRunner
{
    public static Dictionary<Node, float[]> Run(IBackend backend, OpCase.Built b, ulong seed, int rngStep)
    {
        var nodes = b.Graph.Nodes;
        var state = new ModelState(backend, seed);
        backend.SetCounter(state.Counters, StateSlots.OptimizerStep, rngStep);
        var bound = new Dictionary<Node, DeviceBuffer>();
        foreach (var (node, values) in b.Feeds)
        {
            var buffer = backend.Allocate(values.Length);
            backend.Upload(values.Select(v => (float)v).ToArray(), buffer);
            bound[node] = buffer;
        }
        var sinks = nodes.Where(n => !n.Op.HasSideEffects).ToArray();
        int length = ExecutionPlan.ArenaLength(nodes, sinks, bound, 1);
        var arena = backend.Allocate(length);
        backend.Fill(arena, float.NaN);
        var plan = ExecutionPlan.Lower(backend, nodes, sinks, bound, arena, backend.Allocate(0), state, 1);
        plan.Run(backend);
        var result = new Dictionary<Node, float[]>();
        foreach (var node in sinks.Where(n => !b.Feeds.ContainsKey(n)))
        {
            var values = new float[node.Size(1)];
            backend.Download(plan.Buffers[node], values);
            result[node] = values;
        }
        return result;
    }
}
