using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Graph.Ops;
using static SequentialNet.Tests.Kernels.KernelTestUtil;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// The direct short-patch convolution: its forward has the bits of patches + SGEMM + bias/ReLU epilogue (the path it
/// replaces), and its kernel gradient matches the float64 definition, overwriting or accumulating; for "valid" and
/// "same" padding (clipped patches at the border), strides, dilation, 1 and 3 input channels, 16, 32 and 64 filters.
/// </summary>
public unsafe class SmallPatchConvTests
{
    public static IEnumerable<TestCaseData> Geometries()
    {
        // (batch, h, w, c, filters, kh, kw, stride, dilation, padding)
        yield return new TestCaseData(3, 9, 8, 1, 32, 3, 3, 1, 1, "valid");
        yield return new TestCaseData(2, 7, 7, 3, 16, 3, 3, 1, 1, "same");
        yield return new TestCaseData(2, 9, 10, 1, 64, 3, 3, 2, 1, "same");
        yield return new TestCaseData(1, 11, 9, 2, 32, 2, 3, 1, 2, "same");
        yield return new TestCaseData(2, 8, 8, 2, 16, 4, 4, 3, 1, "valid");
        yield return new TestCaseData(1, 6, 6, 3, 64, 3, 3, 1, 1, "valid");
        // 3×3 on one channel with 16 and 32 filters: the 9-tap gradient kernel, here with clipped border patches.
        yield return new TestCaseData(2, 7, 6, 1, 16, 3, 3, 1, 1, "same");
        yield return new TestCaseData(1, 8, 8, 1, 32, 3, 3, 2, 1, "same");
    }

    private static ConvGeometry Geometry(int batch, int h, int w, int c, int filters, int kh, int kw, int stride, int dilation, string padding)
    {
        var spec = new ConvSpec(kh, kw, stride, stride, dilation, dilation, padding);
        var (oh, ow, top, left) = spec.Output(h, w, "test");
        return new ConvGeometry(batch, h, w, c, oh, ow, filters, kh, kw, stride, stride, dilation, dilation, top, left);
    }

    [TestCaseSource(nameof(Geometries))]
    public void ForwardHasTheBitsOfPatchesGemmAndEpilogue(int batch, int h, int w, int c, int filters, int kh, int kw, int stride, int dilation, string padding)
    {
        var g = Geometry(batch, h, w, c, filters, kh, kw, stride, dilation, padding);
        Assert.That(SmallPatchConv.Applies(g), Is.True);
        var rng = new Random(4);
        float[] x = RandomArray(rng, (int)g.InputLength, -1f, 1f), kernel = RandomArray(rng, (int)g.KernelLength, -0.5f, 0.5f), bias = RandomArray(rng, filters, -0.2f, 0.2f);
        float[] direct = Poisoned((int)g.OutputLength + 1), viaGemm = Poisoned((int)g.OutputLength), patches = new float[g.Rows * g.PatchSize];
        float[] scratch = new float[SmallPatchConv.ScratchFloats(g.Rows, g.PatchSize)];
        fixed (float* px = x) fixed (float* pk = kernel) fixed (float* pb = bias) fixed (float* pd = direct) fixed (float* pg = viaGemm) fixed (float* pp = patches) fixed (float* ps = scratch)
        {
            // In two calls, the second starting mid-image: the (b, oy, ox) walk starts anywhere.
            int half = g.Rows / 2 + 1;
            SmallPatchConv.ForwardRelu(px, g, 0, half, pk, pb, pd, ps);
            SmallPatchConv.ForwardRelu(px, g, half, g.Rows - half, pk, pb, pd + (long)half * filters, ps);
            ConvPatches.Gather(px, g, 0, g.Rows, pp);
            Relu relu = default;
            Sgemm.RunSingleThreaded(false, false, g.Rows, filters, g.PatchSize, 1f, pp, g.PatchSize, pk, filters, 0f, pg, filters, new GemmEpilogue(pb, &relu, GemmEpilogue.RowKernel<Relu>()));
        }
        Assert.That(direct.Take((int)g.OutputLength).Select(BitConverter.SingleToInt32Bits), Is.EqualTo(viaGemm.Select(BitConverter.SingleToInt32Bits)));
        Assert.That(IsPoison(direct[^1]), Is.True, "wrote past y");
        Assert.That(direct.Count(v => v > 0), Is.GreaterThan(0));
    }

    [TestCase(3, 28, 28, 1, 32, 1, 1)]   // the tutorial CNN's first layer: (26, 26, 32) pooled to (13, 13, 32)
    [TestCase(2, 10, 10, 3, 16, 1, 1)]   // RGB, 16 filters: (8, 8) pooled to (4, 4)
    [TestCase(1, 10, 12, 1, 32, 1, 2)]   // dilation 2: (6, 8) pooled to (3, 4)
    [TestCase(2, 13, 9, 2, 16, 2, 1)]    // stride 2: (6, 4) pooled to (3, 2)
    public void PooledInRegistersHasTheBitsOfConvolutionThenPooling(int batch, int h, int w, int c, int filters, int stride, int dilation)
    {
        var g = Geometry(batch, h, w, c, filters, 3, 3, stride, dilation, "valid");
        var p = new PoolGeometry(batch, g.OutHeight, g.OutWidth, filters, g.OutHeight / 2, g.OutWidth / 2, 2, 2, 2, 2, 0, 0);
        Assert.That(SmallPatchConv.PoolFuses(g, p), Is.True);
        var rng = new Random(8);
        float[] x = RandomArray(rng, (int)g.InputLength, -1f, 1f), kernel = RandomArray(rng, (int)g.KernelLength, -0.5f, 0.5f), bias = RandomArray(rng, filters, -0.2f, 0.2f);
        float[] conv = new float[g.OutputLength], separate = Poisoned((int)p.OutputLength), fused = Poisoned((int)p.OutputLength + 1);
        float[] scratch = new float[SmallPatchConv.ScratchFloats(g.Rows, g.PatchSize)];
        fixed (float* px = x) fixed (float* pk = kernel) fixed (float* pb = bias) fixed (float* pc = conv) fixed (float* ps = separate) fixed (float* pf = fused) fixed (float* pscr = scratch)
        {
            SmallPatchConv.ForwardRelu(px, g, 0, g.Rows, pk, pb, pc, pscr);
            for (int s = 0; s < batch; s++) PoolKernels.ForwardSample(PoolKind.Max, pc, ps, p, s);
            SmallPatchConv.ForwardReluMaxPool2x2(px, g, p, 0, 1, pk, pb, pf);   // in two calls: images [0, 1) and [1, batch)
            SmallPatchConv.ForwardReluMaxPool2x2(px, g, p, 1, batch - 1, pk, pb, pf);
        }
        Assert.That(fused.Take(separate.Length).Select(BitConverter.SingleToInt32Bits), Is.EqualTo(separate.Select(BitConverter.SingleToInt32Bits)));
        Assert.That(IsPoison(fused[^1]), Is.True, "wrote past y");
        Assert.That(separate.Count(v => v == 0), Is.GreaterThan(0), "some windows clipped to 0 by ReLU");
    }

    [TestCase(3, 28, 28, 1, 32, 1, 1)]
    [TestCase(2, 10, 10, 3, 16, 1, 1)]
    [TestCase(1, 10, 12, 1, 32, 1, 2)]
    [TestCase(2, 13, 9, 2, 16, 2, 1)]
    public void RoutedInRegistersHasTheBitsOfConvolutionThenPoolingGradient(int batch, int h, int w, int c, int filters, int stride, int dilation)
    {
        var g = Geometry(batch, h, w, c, filters, 3, 3, stride, dilation, "valid");
        var p = new PoolGeometry(batch, g.OutHeight, g.OutWidth, filters, g.OutHeight / 2, g.OutWidth / 2, 2, 2, 2, 2, 0, 0);
        var rng = new Random(9);
        float[] x = RandomArray(rng, (int)g.InputLength, -1f, 1f), kernel = RandomArray(rng, (int)g.KernelLength, -0.5f, 0.5f), bias = RandomArray(rng, filters, -0.2f, 0.2f);
        float[] dy = RandomArray(rng, (int)p.OutputLength, -1f, 1f);
        float[] conv = new float[g.OutputLength], separate = Poisoned((int)g.OutputLength), fused = Poisoned((int)g.OutputLength + 1);
        float[] scratch = new float[SmallPatchConv.ScratchFloats(g.Rows, g.PatchSize)];
        fixed (float* px = x) fixed (float* pk = kernel) fixed (float* pb = bias) fixed (float* pdy = dy) fixed (float* pc = conv) fixed (float* ps = separate) fixed (float* pf = fused) fixed (float* pscr = scratch)
        {
            SmallPatchConv.ForwardRelu(px, g, 0, g.Rows, pk, pb, pc, pscr);
            for (int s = 0; s < batch; s++) PoolKernels.BackwardSample(PoolKind.MaxAfterRelu, pc, pdy, ps, p, s);
            SmallPatchConv.BackwardReluMaxPool2x2(px, g, p, 0, batch, pk, pb, pdy, pf);
        }
        Assert.That(fused.Take(separate.Length).Select(BitConverter.SingleToInt32Bits), Is.EqualTo(separate.Select(BitConverter.SingleToInt32Bits)));
        Assert.That(IsPoison(fused[^1]), Is.True, "wrote past dz");
        Assert.That(separate.Count(v => v != 0), Is.GreaterThan(0).And.LessThan(separate.Length / 4), "one cell per window at most, some stopped by ReLU");
    }

    [Test]
    public void PaddedOrOddOutputsAreNotPooledInRegisters()
    {
        var same = Geometry(1, 8, 8, 1, 32, 3, 3, 1, 1, "same");   // (8, 8): border patches are clipped
        Assert.That(SmallPatchConv.PoolFuses(same, new PoolGeometry(1, 8, 8, 32, 4, 4, 2, 2, 2, 2, 0, 0)), Is.False);
        var odd = Geometry(1, 9, 9, 1, 32, 3, 3, 1, 1, "valid");   // (7, 7): the last row and column lie in no window
        Assert.That(SmallPatchConv.PoolFuses(odd, new PoolGeometry(1, 7, 7, 32, 3, 3, 2, 2, 2, 2, 0, 0)), Is.False);
    }

    [TestCaseSource(nameof(Geometries))]
    public void KernelGradientMatchesTheFloat64Definition(int batch, int h, int w, int c, int filters, int kh, int kw, int stride, int dilation, string padding)
    {
        var g = Geometry(batch, h, w, c, filters, kh, kw, stride, dilation, padding);
        var rng = new Random(6);
        float[] x = RandomArray(rng, (int)g.InputLength, -1f, 1f), dz = RandomArray(rng, (int)g.OutputLength, -1f, 1f), start = RandomArray(rng, (int)g.KernelLength, -1f, 1f);
        var expected = new double[g.KernelLength];
        ConvReference.BackwardFilter([.. x.Select(v => (double)v)], [.. dz.Select(v => (double)v)], g, expected);
        float[] scratch = new float[SmallPatchConv.ScratchFloats(g.Rows, g.PatchSize)];
        foreach (bool overwrite in new[] { true, false })
        {
            float[] dk = [.. start];
            int half = g.Rows / 2 + 1;
            fixed (float* px = x) fixed (float* pdz = dz) fixed (float* pk = dk) fixed (float* ps = scratch)
            {
                // Two calls over the two halves of the rows: the second accumulates onto the first.
                SmallPatchConv.FilterGradient(px, g, 0, half, pdz, pk, overwrite, ps);
                SmallPatchConv.FilterGradient(px, g, half, g.Rows - half, pdz + (long)half * filters, pk, overwrite: false, ps);
            }
            for (int i = 0; i < dk.Length; i++)
            {
                double want = expected[i] + (overwrite ? 0 : start[i]);
                // fp32 sums over the rows (docs/testing.md): 1e-5 absolute plus 1e-4 relative.
                Assert.That(dk[i], Is.EqualTo(want).Within(1e-5 + 1e-4 * Math.Abs(want)), $"overwrite {overwrite}, element {i}");
            }
        }
    }
}
