using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Graph;

namespace SequentialNet.Tests.Graph;

/// <summary>
/// The CPU backend (float32) against the float64 reference, forward and backward, for every op case:
/// every node of the lowered graph is compared. Outputs are poisoned with NaN first so an op that
/// leaves elements unwritten fails.
/// </summary>
public class CpuParityTests
{
    public static IEnumerable<OpCase> Cases => OpCases.All();

    [TestCaseSource(nameof(Cases))]
    public void CpuMatchesFloat64Reference(OpCase opCase)
    {
        var b = opCase.Build(seed: 99);
        var reference = new ReferenceEvaluator(b.Graph.Nodes, new ReferenceContext { Seed = 42, RngStep = 3 }).Run(b.Feeds, 1);
        var result = BackendRunner.Run(new CpuBackend(), b, seed: 42, rngStep: 3);
        foreach (var (node, actual) in result)
        {
            double[] expected = reference[node];
            // fp32 elementwise 1e-6/1e-5; GEMMs and reductions accumulate rounding over k terms (DESIGN §7).
            double rtol = node.Op is SequentialNet.Graph.Ops.MatMulOp || node.Op.Name.Contains("sum") || node.Op.Name == "mean" ? 1e-4 : 1e-5;
            for (int i = 0; i < expected.Length; i++)
                Assert.That(Math.Abs(actual[i] - expected[i]), Is.LessThanOrEqualTo(1e-5 + rtol * Math.Abs(expected[i])),
                    $"{opCase}: node {node} element {i}: {actual[i]} vs {expected[i]}");
        }
    }
}

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
