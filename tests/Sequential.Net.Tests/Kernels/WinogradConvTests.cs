using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Tests.Graph;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// The CPU's Winograd F(2×2, 3×3) convolution (forward, input gradient and kernel gradient): against the float64 reference on every
/// node of the op graph, against the implicit-GEMM path, bitwise the same at 1, 2 and 3 threads, and allocation-free
/// after warm-up.
/// </summary>
[TestFixture, NonParallelizable]
public class WinogradConvTests
{
    public static IEnumerable<WinogradOpCases.Shape> Shapes => WinogradOpCases.Shapes();

    /// <summary>
    /// <see cref="Shapes"/> and one with many blocks of tiles for the kernel gradient: 64 · 6 · 6 = 2304 tiles (odd
    /// 11 × 11 output: partial edge tiles) in blocks of 128 (16 → 16 channels) give 18 blocks in 8 segments, so
    /// segments sum 2 or 3 blocks (beta = 1 GEMMs) before the segment-order reduction; the other shapes have ≤ 8 blocks.
    /// </summary>
    public static IEnumerable<WinogradOpCases.Shape> KernelGradientShapes
        => Shapes.Append(new("winograd_filter_many_blocks", [64, 13, 13, 16], 16, "valid", true));

    [TestCaseSource(nameof(KernelGradientShapes))]
    public void BothPassesTakeTheWinogradPath(WinogradOpCases.Shape shape)
    {
        var g = shape.Geometry;
        Assert.That(CpuBackend.WinogradApplies(g, WinogradShape.Forward(g)), Is.True, "forward");
        Assert.That(CpuBackend.WinogradApplies(g, WinogradShape.InputGradient(g)), Is.True, "input gradient");
    }

    /// <summary>
    /// The kernel gradient (dK and the bias tail db) of a random x and dy by both CPU paths against float64, in units
    /// of u·Σ|x||dy| (the sum of the magnitudes of the N·OH·OW products each element of dK adds; Σ|dy| for db). dK
    /// sums far more products than the other passes (N·OH·OW, 210–600 here, against 9·C), in segments and blocks,
    /// and Winograd adds up to 4 terms on each side of its GEMMs (the input and the output-gradient transforms) and
    /// combines up to 9 (halved) sums of them after; the bound allowed is 32 as for the other passes. Measured over
    /// these cases: Winograd reached at most 1.54 (dK) and 0.34 (db), the implicit GEMM 0.95 and 0.51. An unwritten element (NaN), a wrong tap, tile or edge pixel would be off by whole products.
    /// Winograd must also differ from the implicit GEMM somewhere (bitwise): both are deterministic, so equal bits
    /// everywhere would mean the Winograd path was not taken.
    /// </summary>
    [TestCaseSource(nameof(KernelGradientShapes))]
    public void KernelGradientStaysWithinTheRoundingScaleOfFloat64(WinogradOpCases.Shape shape)
    {
        var g = shape.Geometry;
        var random = new Random(7);
        double[] x = Draw(random, g.InputLength), dy = Draw(random, g.OutputLength);
        double[] dk64 = new double[g.KernelLength], dkScale = new double[g.KernelLength];
        ConvReference.BackwardFilter(x, dy, g, dk64);
        ConvReference.BackwardFilter(Abs(x), Abs(dy), g, dkScale);
        double[] db64 = new double[g.OutChannels], dbScale = new double[g.OutChannels];
        for (long i = 0; i < dy.Length; i++) { db64[i % g.OutChannels] += dy[i]; dbScale[i % g.OutChannels] += Math.Abs(dy[i]); }
        foreach (bool bias in new[] { false, true })
        {
            float[] winograd = RunKernelGradient(g, x, dy, bias, direct: false), direct = RunKernelGradient(g, x, dy, bias, direct: true);
            Assert.That(winograd.AsSpan(0, (int)g.KernelLength).SequenceEqual(direct.AsSpan(0, (int)g.KernelLength)), Is.False, $"{shape}: Winograd dK equals the implicit GEMM's bitwise");
            foreach (var (result, path) in new[] { (winograd, "Winograd"), (direct, "implicit GEMM") })
            {
                double dkUnits = Units(result[..(int)g.KernelLength], dk64, dkScale);
                string line = $"{shape} {path}{(bias ? " with bias" : "")}: dK {dkUnits:F2}";
                Assert.That(dkUnits, Is.LessThanOrEqualTo(RoundingUnits), $"{shape}: dK, {path}, bias {bias}");
                if (bias)
                {
                    double dbUnits = Units(result[(int)g.KernelLength..], db64, dbScale);
                    line += $", db {dbUnits:F2}";
                    Assert.That(dbUnits, Is.LessThanOrEqualTo(RoundingUnits), $"{shape}: db, {path}");
                }
                else Assert.That(result.Length, Is.EqualTo(g.KernelLength));
                TestContext.Out.WriteLine(line + " u·Σ|a||b|");
            }
        }
    }

    /// <summary>dK (and db after it with <paramref name="bias"/>) on the Winograd or the implicit-GEMM path; the buffer has one NaN float past the end, which must stay.</summary>
    private static float[] RunKernelGradient(ConvGeometry g, double[] x, double[] dy, bool bias, bool direct)
    {
        using var backend = new CpuBackend();
        DeviceBuffer Upload(double[] v)
        {
            var buffer = backend.Allocate(v.Length);
            backend.Upload(v.Select(e => (float)e).ToArray(), buffer);
            return buffer;
        }
        int length = (int)g.KernelLength + (bias ? g.OutChannels : 0);
        using DeviceBuffer xb = Upload(x), dyb = Upload(dy), dkb = backend.Allocate(length + 1);
        backend.Fill(dkb, float.NaN);
        try
        {
            CpuBackend.t_directConvolutionOnly = direct;
            backend.Conv2DBackwardFilter(xb, dyb, dkb, g, bias);
        }
        finally { CpuBackend.t_directConvolutionOnly = false; }
        float[] dk = new float[length + 1];
        backend.Download(dkb, dk);
        Assert.That(dk[length], Is.NaN, "the float past the gradient was written");
        return dk[..length];
    }

    [Test]
    public void OtherConvolutionsKeepTheImplicitGemm()
    {
        static bool Applies(ConvGeometry g) => CpuBackend.WinogradApplies(g, WinogradShape.Forward(g));
        var baseline = new ConvGeometry(8, 13, 13, 32, 11, 11, 64, 3, 3, 1, 1, 1, 1, 0, 0);
        Assert.That(Applies(baseline), Is.True);
        Assert.That(Applies(baseline with { StrideHeight = 2, OutHeight = 6 }), Is.False, "stride 2");
        Assert.That(Applies(baseline with { DilationWidth = 2, OutWidth = 9 }), Is.False, "dilation 2");
        Assert.That(Applies(baseline with { KernelHeight = 5, OutHeight = 9 }), Is.False, "5×3 kernel");
        Assert.That(Applies(baseline with { InChannels = 8 }), Is.False, "8 input channels");
        Assert.That(Applies(baseline with { OutChannels = 20 }), Is.False, "20 filters (not a multiple of 8)");
        Assert.That(Applies(baseline with { Batch = 4 }), Is.False, "144 tiles");
        // Too few multiply-adds saved: 3×3 outputs in 2×2 tiles (9·9 = 81 against 16·4 = 64), and the input
        // gradient of a "valid" 9×9 → 7×7 convolution (9·49 = 441 against 16·25 = 400) while its forward pays (256).
        var small = new ConvGeometry(128, 5, 5, 32, 3, 3, 64, 3, 3, 1, 1, 1, 1, 0, 0);
        Assert.That(Applies(small), Is.False, "3×3 outputs");
        var nine = new ConvGeometry(128, 9, 9, 32, 7, 7, 64, 3, 3, 1, 1, 1, 1, 0, 0);
        Assert.That(Applies(nine), Is.True, "forward of 9×9 → 7×7");
        Assert.That(CpuBackend.WinogradApplies(nine, WinogradShape.InputGradient(nine)), Is.False, "input gradient of 9×9 → 7×7");
    }

    /// <summary>
    /// Every node (y, dx, dK, db, and the loss built on them) against float64. Winograd rounds differently from a
    /// direct sum (see <see cref="BothPathsStayWithinTheRoundingScaleOfFloat64"/>) and these convolutions sum 144–288
    /// products, so the bound is CpuParityTests' bound for GEMMs (atol 1e-5, rtol 1e-4) rather than the elementwise
    /// one. Measured over these cases: at most 0.84 of this allowance with the kernel gradient on Winograd too; a wrong tap, tile or edge pixel is off by
    /// the size of a product (~0.1 and more).
    /// </summary>
    [TestCaseSource(nameof(Shapes))]
    public void CpuMatchesFloat64Reference(WinogradOpCases.Shape shape)
    {
        var b = shape.Case.Build(seed: 99);
        var reference = new ReferenceEvaluator(b.Graph.Nodes, new ReferenceContext { Seed = 42, RngStep = 3 }).Run(b.Feeds, 1);
        var result = BackendRunner.Run(new CpuBackend(), b, seed: 42, rngStep: 3);
        Assert.That(result.Keys.Select(n => n.Op.Name), Does.Contain("conv2d_input_grad"), "the case must exercise the input gradient");
        double worst = 0;
        foreach (var (node, actual) in result)
        {
            double[] expected = reference[node];
            for (int i = 0; i < expected.Length; i++)
            {
                double allowed = 1e-5 + 1e-4 * Math.Abs(expected[i]);
                worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / allowed);
                Assert.That(Math.Abs(actual[i] - expected[i]), Is.LessThanOrEqualTo(allowed), $"{shape}: node {node} element {i}: {actual[i]} vs {expected[i]}");
            }
        }
        TestContext.Out.WriteLine($"{shape}: largest error {worst:F3} of the allowance");
    }

    /// <summary>
    /// The bare convolution (no bias, no activation) and the input gradient of a random dy, by both CPU paths,
    /// against float64, in units of the rounding scale u·Σ|a|·|b| (u = 2⁻²⁴; the sum of the magnitudes of the
    /// 9·C products each element adds, computed in float64): a direct float32 sum of n products stays within
    /// ~n·u·Σ|a||b| and in practice within a few u·Σ|a||b|. Winograd's transforms add and subtract up to 4 terms
    /// on each side of its GEMMs, which widens that. Measured over these cases: the implicit GEMM reached at most
    /// 3.2 u·Σ|a||b| (forward) and 1.5 (input gradient), Winograd 1.5 and 6.0; the bound allowed is 32.
    /// </summary>
    [TestCaseSource(nameof(Shapes))]
    public void BothPathsStayWithinTheRoundingScaleOfFloat64(WinogradOpCases.Shape shape)
    {
        var g = shape.Geometry;
        var random = new Random(5);
        double[] x = Draw(random, g.InputLength), k = Draw(random, g.KernelLength), dy = Draw(random, g.OutputLength);
        double[] y64 = new double[g.OutputLength], yScale = new double[g.OutputLength], dx64 = new double[g.InputLength], dxScale = new double[g.InputLength];
        ConvReference.Forward(x, k, g, y64);
        ConvReference.Forward(Abs(x), Abs(k), g, yScale);
        ConvReference.BackwardInput(dy, k, g, dx64);
        ConvReference.BackwardInput(Abs(dy), Abs(k), g, dxScale);
        foreach (bool direct in new[] { false, true })
        {
            var (y, dx) = RunBare(g, x, k, dy, direct);
            double yUnits = Units(y, y64, yScale), dxUnits = Units(dx, dx64, dxScale);
            TestContext.Out.WriteLine($"{shape} {(direct ? "implicit GEMM" : "Winograd")}: forward {yUnits:F2}, input gradient {dxUnits:F2} u·Σ|a||b|");
            Assert.That(yUnits, Is.LessThanOrEqualTo(RoundingUnits), $"{shape}: forward, {(direct ? "implicit GEMM" : "Winograd")}");
            Assert.That(dxUnits, Is.LessThanOrEqualTo(RoundingUnits), $"{shape}: input gradient, {(direct ? "implicit GEMM" : "Winograd")}");
        }
    }

    /// <summary>The allowed error in units of u·Σ|a||b| (see <see cref="BothPathsStayWithinTheRoundingScaleOfFloat64"/>).</summary>
    private const double RoundingUnits = 32;

    private static double[] Draw(Random random, long n) => Enumerable.Range(0, (int)n).Select(_ => (double)(float)OpCases.AwayFromZero(random)).ToArray();

    private static double[] Abs(double[] v) => v.Select(Math.Abs).ToArray();

    /// <summary>max |actual − expected| / (2⁻²⁴·scale); NaN (an unwritten element) gives infinity.</summary>
    private static double Units(float[] actual, double[] expected, double[] scale)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = Math.Abs(actual[i] - expected[i]) / (Math.Pow(2, -24) * scale[i]);
            worst = double.IsNaN(e) ? double.PositiveInfinity : Math.Max(worst, e);
        }
        return worst;
    }

    /// <summary>y = conv(x, k) and dx for <paramref name="dy"/>, on the Winograd or the implicit-GEMM path.</summary>
    private static (float[] Y, float[] Dx) RunBare(ConvGeometry g, double[] x, double[] k, double[] dy, bool direct)
    {
        using var backend = new CpuBackend();
        DeviceBuffer Upload(double[] v)
        {
            var buffer = backend.Allocate(v.Length);
            backend.Upload(v.Select(e => (float)e).ToArray(), buffer);
            return buffer;
        }
        using DeviceBuffer xb = Upload(x), kb = Upload(k), dyb = Upload(dy), yb = backend.Allocate((int)g.OutputLength), dxb = backend.Allocate((int)g.InputLength);
        backend.Fill(yb, float.NaN);
        backend.Fill(dxb, float.NaN);
        try
        {
            CpuBackend.t_directConvolutionOnly = direct;
            backend.Conv2DForward(new Identity(), xb, kb, null, yb, g);
            backend.Conv2DBackwardInput(dyb, kb, dxb, g);
        }
        finally { CpuBackend.t_directConvolutionOnly = false; }
        float[] y = new float[g.OutputLength], dx = new float[g.InputLength];
        backend.Download(yb, y);
        backend.Download(dxb, dx);
        return (y, dx);
    }

    [TestCaseSource(nameof(KernelGradientShapes))]
    public void BitwiseTheSameAtOneTwoAndThreeThreads(WinogradOpCases.Shape shape)
    {
        var g = shape.Geometry;
        var (y1, dx1, dk1) = Run(g, threads: 1, direct: false);
        foreach (int threads in new[] { 2, 3 })
        {
            var (y, dx, dk) = Run(g, threads, direct: false);
            Assert.That(y, Is.EqualTo(y1).AsCollection, $"{shape}: forward at {threads} threads");
            Assert.That(dx, Is.EqualTo(dx1).AsCollection, $"{shape}: input gradient at {threads} threads");
            Assert.That(dk, Is.EqualTo(dk1).AsCollection, $"{shape}: kernel and bias gradient at {threads} threads");
        }
    }

    [Test]
    public void RepeatedCallsAllocateNothing()
    {
        var g = new ConvGeometry(16, 13, 13, 32, 11, 11, 64, 3, 3, 1, 1, 1, 1, 0, 0);   // the tutorial CNN's second convolution
        Assert.That(CpuBackend.WinogradApplies(g, WinogradShape.Forward(g)) && CpuBackend.WinogradApplies(g, WinogradShape.InputGradient(g)), Is.True);
        using var backend = new CpuBackend();
        using var data = new Buffers(backend, g, new Random(3));
        try
        {
            CpuWorkers.ThreadCount = 2;
            for (int i = 0; i < 10; i++) data.Step(backend, g);   // warm-up: pools, per-thread buffers, JIT
            // The fewest bytes of three windows of 50 calls: an allocation per call shows in every window, while a
            // one-time runtime event (seen once under heavy load: 8,096 bytes in one window, never reproduced)
            // shows in one. This is not a tolerance: the minimum must be exactly 0.
            var windows = new long[3];
            for (int w = 0; w < windows.Length; w++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 50; i++) data.Step(backend, g);
                windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            Assert.That(windows.Min(), Is.EqualTo(0), $"bytes allocated by 50 forward + input-gradient + kernel-gradient calls after warm-up, per window: {string.Join(", ", windows)}");
        }
        finally { CpuWorkers.ThreadCount = 0; }
    }

    /// <summary>y = relu(conv(x, k) + b), dx and dK with db for dy = y (fixed random x, k, b), at <paramref name="threads"/> (0: default).</summary>
    private static (float[] Y, float[] Dx, float[] Dk) Run(ConvGeometry g, int threads, bool direct)
    {
        using var backend = new CpuBackend();
        using var data = new Buffers(backend, g, new Random(11));
        try
        {
            CpuWorkers.ThreadCount = threads;
            CpuBackend.t_directConvolutionOnly = direct;
            data.Step(backend, g);
        }
        finally
        {
            CpuWorkers.ThreadCount = 0;
            CpuBackend.t_directConvolutionOnly = false;
        }
        float[] y = new float[g.OutputLength], dx = new float[g.InputLength], dk = new float[g.KernelLength + g.OutChannels];
        backend.Download(data.Y, y);
        backend.Download(data.Dx, dx);
        backend.Download(data.Dk, dk);
        return (y, dx, dk);
    }

    /// <summary>x, k, b drawn ±U(0.1, 1); y, dx and dK (with the bias tail) poisoned with NaN so an unwritten element shows.</summary>
    private sealed class Buffers : IDisposable
    {
        public readonly DeviceBuffer X, K, B, Y, Dx, Dk;

        public Buffers(CpuBackend backend, ConvGeometry g, Random random)
        {
            DeviceBuffer Filled(long n)
            {
                var buffer = backend.Allocate(checked((int)n));
                backend.Upload(Enumerable.Range(0, (int)n).Select(_ => (float)OpCases.AwayFromZero(random)).ToArray(), buffer);
                return buffer;
            }
            X = Filled(g.InputLength); K = Filled(g.KernelLength); B = Filled(g.OutChannels);
            Y = backend.Allocate(checked((int)g.OutputLength)); Dx = backend.Allocate(checked((int)g.InputLength));
            backend.Fill(Y, float.NaN);
            backend.Fill(Dx, float.NaN);
            Dk = backend.Allocate(checked((int)(g.KernelLength + g.OutChannels)));
            backend.Fill(Dk, float.NaN);
        }

        public void Step(CpuBackend backend, in ConvGeometry g)
        {
            backend.Conv2DForward(new Relu(), X, K, B, Y, g);
            backend.Conv2DBackwardInput(Y, K, Dx, g);
            backend.Conv2DBackwardFilter(X, Y, Dk, g, biasGradient: true);
        }

        public void Dispose()
        {
            foreach (var b in new[] { X, K, B, Y, Dx, Dk }) b.Dispose();
        }
    }
}
