using SequentialNet.Backends.Cpu;
using SequentialNet.Graph.Ops;
using SequentialNet.Tests.Graph;

namespace SequentialNet.Cuda.Tests;

/// <summary>
/// The CUDA backend on a real GPU against the CPU backend, forward and backward, for every row of the
/// op-case table: every node of the lowered graph is compared (outputs are poisoned with NaN first, so an
/// element a kernel leaves unwritten fails). Ignored where no GPU works.
/// </summary>
[Category("Gpu")]
public class GpuParityTests
{
    public static IEnumerable<OpCase> Cases => OpCases.All();

    [TestCaseSource(nameof(Cases))]
    public void GpuMatchesCpu(OpCase opCase)
    {
        GpuRequirement.RequireGpu();
        var b = opCase.Build(seed: 99);
        var expected = BackendRunner.Run(new CpuBackend(), b, seed: 42, rngStep: 3);
        Dictionary<SequentialNet.Graph.Node, float[]> actual;
        using (var gpu = CudaDevice.Create(0, allowTf32: false))
            actual = BackendRunner.Run(gpu, b, seed: 42, rngStep: 3);
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (node, values) in actual)
        {
            float[] reference = expected[node];
            // docs/testing.md: fp32 elementwise 1e-6 abs / 1e-5 rel (the absolute part is 1e-5 here, as in the CPU
            // parity test, because losses and gradients near zero come out of cancellations); GEMMs and
            // reductions add in another order on the GPU, rtol 1e-4.
            double rtol = node.Op is MatMulOp || node.Op.Name.StartsWith("dense_") || node.Op.Name.Contains("sum") || node.Op.Name == "mean" ? 1e-4 : 1e-5;
            for (int i = 0; i < reference.Length; i++)
                Assert.That(Math.Abs(values[i] - reference[i]), Is.LessThanOrEqualTo(1e-5 + rtol * Math.Abs(reference[i])),
                    $"{opCase}: node {node} element {i}: GPU {values[i]} vs CPU {reference[i]}");
        }
    }
}
