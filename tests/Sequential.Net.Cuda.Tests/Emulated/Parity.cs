using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// docs/testing.md's comparison of a backend against the CPU backend, node by node:
/// |actual − expected| ≤ atol + rtol·|expected|, NaN never passes.
/// </summary>
internal static class Parity
{
    /// <summary>fp32 elementwise: atol 1e-6, rtol 1e-5.</summary>
    public const double Atol = 1e-6, ElementwiseRtol = 1e-5;

    /// <summary>GEMMs and reductions (sums, means, softmax and the per-row losses, and their gradients): rtol 1e-4 (K ≤ 17 here).</summary>
    public const double ReductionRtol = 1e-4;

    /// <summary>True for ops whose every output element sums over a row, a column or the whole input (batch norm: its statistics, and the training-mode ops that read them).</summary>
    public static bool IsReduction(Node node) =>
        node.Op is MatMulOp or SumAllOp or SumRowsOp or SoftmaxOp or SoftmaxGradOp or SoftmaxCrossEntropyOp or SoftmaxCrossEntropyGradOp or LossOp
            or BatchNormStatsOp or RowOfOp or BatchNormOp { BatchStatistics: true } or BatchNormGradSumsOp or BatchNormGradInputOp
        || node.Op.Name.StartsWith("dense_", StringComparison.Ordinal);   // DenseOp<TOp>: a GEMM

    /// <summary>Every element outside the tolerance (NaN included), as messages; empty when the results match.</summary>
    /// <remarks><paramref name="atol"/> and <paramref name="rtol"/>, when given, replace the defaults for every node.</remarks>
    public static List<string> Mismatches(string what, Dictionary<Node, float[]> expected, Dictionary<Node, float[]> actual, int limit = 20, double? atol = null, double? rtol = null)
    {
        var problems = new List<string>();
        foreach (var (node, want) in expected)
        {
            if (!actual.TryGetValue(node, out float[]? got))
            {
                problems.Add($"{what}: node {node.Name} ({node.Op.Name}) missing");
                continue;
            }
            double r = rtol ?? (IsReduction(node) ? ReductionRtol : ElementwiseRtol), a0 = atol ?? Atol;
            for (int i = 0; i < want.Length && problems.Count < limit; i++)
            {
                double e = want[i], a = got[i];
                if (double.IsNaN(e) || double.IsNaN(a) || !(Math.Abs(a - e) <= a0 + r * Math.Abs(e)))
                    problems.Add($"{what}: node {node.Name} ({node.Op.Name}) element {i}: {a:R} vs CPU {e:R}");
            }
        }
        return problems;
    }
}
