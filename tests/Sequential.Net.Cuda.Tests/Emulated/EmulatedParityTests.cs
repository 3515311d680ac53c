using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Tests.Graph;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The whole op-case table (docs/testing.md) on the CUDA backend over the emulated device — the real kernels/*.cu
/// and the real CudaBackend host code — against the CPU backend, forward and backward: every node of the
/// lowered graph is compared. BackendRunner poisons the arena with NaN and the emulated device fills new
/// allocations with 0xFF bytes, so an element that no kernel writes fails.
/// </summary>
[Category("Emulated")]
public class EmulatedParityTests
{
    public static IEnumerable<OpCase> Cases => OpCases.All();

    /// <summary>
    /// Shapes the shared table is too small for: several blocks per launch, block-per-row softmax and losses
    /// (128 and 256 threads, reductions through shared memory), the two-pass whole-buffer sum (over 16384
    /// elements), column tiles of the bias gradient, odd sizes that leave partial warps and tiles.
    /// </summary>
    public static IEnumerable<OpCase> WideCases()
    {
        static double Any(Random r, int k, int i) => OpCases.AwayFromZero(r);
        yield return new OpCase("wide_sum_rows", [[37, 70]], (g, x) => g.SumRows(x[0]));
        yield return new OpCase("wide_bias_add", [[33, 70], [70]], (g, x) => g.BiasAdd(x[0], x[1]));
        yield return new OpCase("wide_relu", [[301, 70]], (g, x) => g.Unary(new Relu(), x[0]));
        yield return new OpCase("wide_mean_two_pass", [[211, 97]], (g, x) => g.Mean(x[0]));
        yield return new OpCase("wide_softmax_128", [[3, 300]], (g, x) => g.Softmax(x[0]));
        yield return new OpCase("wide_softmax_256", [[2, 1500]], (g, x) => g.Softmax(x[0]));
        yield return new OpCase("wide_softmax_warp_rows", [[19, 45]], (g, x) => g.Softmax(x[0]));
        yield return new OpCase("wide_softmax_ce_sparse", [[9, 300], [9]], (g, x) => g.SoftmaxCrossEntropy(x[0], x[1], sparse: true, 0f),
            (r, k, i) => k == 0 ? OpCases.AwayFromZero(r) * 3 : r.Next(300), [true, false]);
        yield return new OpCase("wide_mse", [[17, 300], [17, 300]], (g, x) => g.Loss(LossKind.MeanSquaredError, x[0], x[1]), Any, [true, false]);
        yield return new OpCase("wide_matmul", [[33, 70], [70, 41]], (g, x) => g.MatMul(x[0], x[1]));
        yield return new OpCase("wide_dropout", [[65, 129]], (g, x) => g.Binary(new Mul(), x[0], g.DropoutMask(x[0], 0.2f, 3)));
        yield return new OpCase("wide_zero_pad2d", [[3, 17, 19, 5]], (g, x) => SequentialNet.Graph.Ops.Pad2DOp.Emit(g, x[0], 3, 0, 2, 5));
        yield return new OpCase("wide_upsample2d", [[3, 17, 19, 5]], (g, x) => SequentialNet.Graph.Ops.UpSample2DOp.Emit(g, x[0], 2, 3));
        yield return new OpCase("wide_spatial_dropout", [[9, 15, 13, 33]], (g, x) => SequentialNet.Graph.Ops.ScaleChannelsOp.Emit(g, x[0], SpatialOpCases.ChannelMask(g, x[0], 0.3f, 4)));
    }

    [TestCaseSource(nameof(Cases))]
    public void EmulatedDeviceMatchesCpu(OpCase opCase) => AssertParity(opCase);

    /// <summary>The convolution cases of the table with a workspace of 61 floats: every pass runs in blocks of a few patch rows that split samples.</summary>
    public static IEnumerable<OpCase> ConvCases() => OpCases.All().Where(c => c.Name.StartsWith("conv2d", StringComparison.Ordinal));

    [TestCaseSource(nameof(ConvCases))]
    public void ConvolutionInSmallBlocksMatchesCpu(OpCase opCase) => AssertParity(opCase, convWorkspaceFloats: FusedPoolImageFloats(opCase) ?? 61);

    /// <summary>
    /// For a convolution fused with max pooling (which works whole images at a time): the workspace of exactly
    /// one image, so each image is its own block and the gradient sums run over several blocks.
    /// </summary>
    private static int? FusedPoolImageFloats(OpCase opCase)
    {
        var b = opCase.Build(seed: 99);
        SequentialNet.Graph.Node? fused = b.Graph.Nodes.FirstOrDefault(n => n.Op is SequentialNet.Graph.Ops.Conv2DReluMaxPoolOp);
        if (fused == null) return null;
        var (conv, _) = ((SequentialNet.Graph.Ops.Conv2DReluMaxPoolOp)fused.Op).Geometry(fused, 1);
        return (int)SequentialNet.Graph.Ops.Conv2DReluMaxPoolOp.ImageFloats((long)conv.OutHeight * conv.OutWidth, conv.PatchSize, conv.OutChannels);
    }

    [Test]
    public void FusedConvPoolFitsTheDefaultWorkspaceOrIsNotFused()
        => Assert.That(CudaBackend.ConvWorkspaceFloats, Is.GreaterThanOrEqualTo(SequentialNet.Graph.Ops.Conv2DReluMaxPoolOp.MaxImageFloats));

    [TestCaseSource(nameof(WideCases))]
    public void EmulatedDeviceMatchesCpuOnWideShapes(OpCase opCase) => AssertParity(opCase);

    /// <summary>The convolutions that take the CPU's Winograd path (tests/Sequential.Net.Tests/Graph/WinogradOpCases.cs) against cuBLAS's direct sums.</summary>
    public static IEnumerable<OpCase> WinogradCases() => WinogradOpCases.All();

    /// <summary>
    /// Two float32 evaluations of sums of 144–288 products (the filter gradient: of every pixel) in different
    /// orders, one of them Winograd's (its transforms add and subtract before and after the GEMMs): the elementwise
    /// bound (atol 1e-6, rtol 1e-5) is for ops of a few terms, and these errors scale with u·Σ|x||k| (u = 2⁻²⁴; up to
    /// 1.7e-5 for 288 products of magnitude ≤ 1, ~5e-6 for these draws), not with the result, which may cancel to ~0. So: docs/testing.md's GEMM
    /// rtol 1e-4 and atol 2e-5. Measured: the convolution at most 0.24 of this allowance, the input gradient 0.11,
    /// the filter gradient 0.26, the loss sum 0.33.
    /// </summary>
    private const double WinogradAtol = 2e-5;

    [TestCaseSource(nameof(WinogradCases))]
    public void EmulatedDeviceMatchesCpuWinograd(OpCase opCase)
    {
        RequireEmulator();
        var b = opCase.Build(seed: 99);
        var expected = BackendRunner.Run(new CpuBackend(), b, seed: 42, rngStep: 3);
        using var backend = new CudaBackend(new EmulatedDevice());
        var actual = BackendRunner.Run(backend, b, seed: 42, rngStep: 3);
        var problems = Parity.Mismatches(opCase.Name, expected, actual, atol: WinogradAtol, rtol: Parity.ReductionRtol);
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    private static void AssertParity(OpCase opCase, int convWorkspaceFloats = CudaBackend.ConvWorkspaceFloats)
    {
        RequireEmulator();
        var b = opCase.Build(seed: 99);
        var expected = BackendRunner.Run(new CpuBackend(), b, seed: 42, rngStep: 3);
        using var backend = new CudaBackend(new EmulatedDevice(), convWorkspaceFloats: convWorkspaceFloats);
        var actual = BackendRunner.Run(backend, b, seed: 42, rngStep: 3);
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        var problems = Parity.Mismatches(opCase.Name, expected, actual);
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }
}
