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
            // fp32 elementwise 1e-6/1e-5; GEMMs and reductions accumulate rounding over k terms (docs/testing.md).
            // Batch norm's statistics and gradient sums reduce over the rows and the training-mode ops downstream
            // inherit that rounding (inference-mode batch_norm on given statistics is elementwise: 1e-5); a fused Dense is a GEMM.
            double rtol = node.Op is SequentialNet.Graph.Ops.MatMulOp || node.Op.Name.StartsWith("dense_") || node.Op.Name.Contains("sum") || node.Op.Name == "mean"
                || node.Op.Name.StartsWith("batch_norm") && node.Op.Name != "batch_norm" || node.Op is SequentialNet.Graph.Ops.RowOfOp ? 1e-4 : 1e-5;
            for (int i = 0; i < expected.Length; i++)
                Assert.That(Math.Abs(actual[i] - expected[i]), Is.LessThanOrEqualTo(1e-5 + rtol * Math.Abs(expected[i])),
                    $"{opCase}: node {node} element {i}: {actual[i]} vs {expected[i]}");
        }
    }
}
