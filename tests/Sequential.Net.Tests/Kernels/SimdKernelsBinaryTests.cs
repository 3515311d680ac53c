using SequentialNet.Backends.Cpu;
using static SequentialNet.Tests.Kernels.KernelTestUtil;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// Binary, broadcast, reduction and BLAS-1 kernels: SIMD against the scalar twin at every length 0..256 with
/// poisoned outputs past the end. Single IEEE operations (add/sub/mul/div/max/min, FMA) must match bitwise;
/// SumRows sums in the same order and must match bitwise; Sum uses a blocked order and is checked against
/// float64 with a bound proportional to Σ|x|.
/// </summary>
[TestFixture]
public unsafe class SimdKernelsBinaryTests
{
    private const int MaxLength = 256;
    private const int Guard = 19;

    public static IEnumerable<BinaryOpCase> Cases() => BinaryOpCase.All();

    [TestCaseSource(nameof(Cases))]
    public void Binary_SimdMatchesScalarBitwise_AtEveryLength(BinaryOpCase op)
    {
        var rng = new Random(11);
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] a = RandomArray(rng, n + Guard, -4f, 4f), b = RandomArray(rng, n + Guard, -4f, 4f);
            float[] cs = Poisoned(n + Guard), cr = Poisoned(n + Guard);
            fixed (float* pa = a, pb = b, ps = cs, pr = cr)
            {
                op.Simd(pa, pb, ps, n);
                op.Scalar(pa, pb, pr, n);
            }
            AssertBitwise(cs, cr, n, $"{op}, n={n}");
            for (int i = 0; i < n; i++)
                Assert.That(Close(cr[i], op.Op.Reference(a[i], b[i]), 0, 1e-7), $"{op}: scalar vs float64 reference at {i}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void BinaryScalar_SimdMatchesScalarBitwise_AtEveryLength(BinaryOpCase op)
    {
        var rng = new Random(12);
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] a = RandomArray(rng, n + Guard, -4f, 4f);
            float b = NextNonZero(rng, -4f, 4f);
            float[] cs = Poisoned(n + Guard), cr = Poisoned(n + Guard);
            fixed (float* pa = a, ps = cs, pr = cr)
            {
                op.SimdScalarB(pa, b, ps, n);
                op.ScalarScalarB(pa, b, pr, n);
            }
            AssertBitwise(cs, cr, n, $"{op} with scalar, n={n}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void BinaryRowBroadcast_SimdMatchesScalarBitwise(BinaryOpCase op)
    {
        var rng = new Random(13);
        foreach (int rows in new[] { 1, 3, 8 })
            for (int cols = 0; cols <= MaxLength; cols++)
            {
                int n = rows * cols;
                float[] a = RandomArray(rng, n + Guard, -4f, 4f), row = RandomArray(rng, cols, -4f, 4f);
                float[] cs = Poisoned(n + Guard), cr = Poisoned(n + Guard);
                fixed (float* pa = a, prow = row, ps = cs, pr = cr)
                {
                    op.SimdRows(pa, prow, ps, rows, cols);
                    op.ScalarRows(pa, prow, pr, rows, cols);
                }
                AssertBitwise(cs, cr, n, $"{op} row broadcast, {rows}x{cols}");
                for (int i = 0; i < n; i++)
                    Assert.That(cr[i], Is.EqualTo(op.Op.Invoke(a[i], row[i % cols])));
            }
    }

    [Test]
    public void MaxMin_FollowIeeeMaximumMinimum()
    {
        // NaN propagates and +0 > −0, the same in the vector body, the tail and the scalar twin.
        float[] a = [float.NaN, 1f, -0f, 0f, float.NegativeInfinity, 2f, float.NaN, 3f, -0f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, float.NaN, -0f];
        float[] b = [1f, float.NaN, 0f, -0f, 1f, float.NaN, 2f, 3f, 0f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 1f, 0f];
        int n = a.Length;
        float[] max = new float[n], min = new float[n];
        fixed (float* pa = a, pb = b, px = max, pn = min)
        {
            SimdKernels.Binary(new Backends.Max(), pa, pb, px, n);
            SimdKernels.Binary(new Backends.Min(), pa, pb, pn, n);
        }
        for (int i = 0; i < n; i++)
        {
            Assert.That(SameValue(max[i], MathF.Max(a[i], b[i])), $"max({a[i]}, {b[i]}) = {max[i]}");
            Assert.That(SameValue(min[i], MathF.Min(a[i], b[i])), $"min({a[i]}, {b[i]}) = {min[i]}");
        }
    }

    [Test]
    public void SumRows_SimdMatchesScalarBitwise([Values(false, true)] bool accumulate)
    {
        var rng = new Random(14);
        foreach (int rows in new[] { 0, 1, 3, 7, 32 })
            for (int cols = 0; cols <= MaxLength; cols++)
            {
                float[] x = RandomArray(rng, rows * cols, -2f, 2f);
                float[] start = RandomArray(rng, cols + Guard, -2f, 2f);
                for (int j = cols; j < start.Length; j++) start[j] = Poison;
                float[] ys = (float[])start.Clone(), yr = (float[])start.Clone();
                fixed (float* px = x, ps = ys, pr = yr)
                {
                    SimdKernels.SumRows(px, ps, rows, cols, accumulate);
                    ScalarKernels.SumRows(px, pr, rows, cols, accumulate);
                }
                AssertBitwise(ys, yr, cols, $"SumRows {rows}x{cols} accumulate={accumulate}");
                for (int j = 0; j < cols; j++)
                {
                    double e = accumulate ? start[j] : 0.0;
                    for (int i = 0; i < rows; i++) e += x[i * cols + j];
                    Assert.That(Close(ys[j], e, 1e-6, 1e-5 * Math.Max(1, rows)), $"SumRows vs float64 at column {j}");
                }
            }
    }

    [Test]
    public void Sum_MatchesFloat64_AtEveryLengthAndLarge()
    {
        var rng = new Random(15);
        var lengths = Enumerable.Range(0, MaxLength + 1).Concat([4095, 4096, 4097, 8193, 100_003, (1 << 20) + 5]);
        foreach (int n in lengths)
        {
            float[] x = RandomArray(rng, n, -1f, 1f);
            double exact = 0, magnitude = 0;
            foreach (float v in x) { exact += v; magnitude += Math.Abs(v); }
            float simd, scalar;
            fixed (float* px = x)
            {
                simd = SimdKernels.Sum(px, n);
                scalar = ScalarKernels.Sum(px, n);
            }
            // The result can cancel to near 0, so the bound scales with Σ|x| (the size of the rounding errors),
            // not with |Σx|. The blocked order keeps the SIMD error ~log(n)·ε·Σ|x|; 1e-6·Σ|x| is ~15 ε.
            Assert.That(Math.Abs(simd - exact), Is.LessThanOrEqualTo(1e-6 + 1e-6 * magnitude), $"SIMD sum, n={n}");
            if (n <= MaxLength)
                Assert.That(Math.Abs(simd - scalar), Is.LessThanOrEqualTo(1e-6 + 1e-5 * magnitude), $"SIMD vs scalar sum, n={n}");
        }
    }

    [Test]
    public void Sum_IsDeterministic()
    {
        float[] x = RandomArray(new Random(16), 300_001, -1f, 1f);
        fixed (float* px = x)
        {
            float first = SimdKernels.Sum(px, x.Length);
            for (int r = 0; r < 3; r++) Assert.That(SimdKernels.Sum(px, x.Length), Is.EqualTo(first));
        }
    }

    [Test]
    public void AxpyAndScale_SimdMatchScalarBitwise_AtEveryLength()
    {
        var rng = new Random(17);
        for (int n = 0; n <= MaxLength; n++)
        {
            float alpha = NextNonZero(rng, -3f, 3f);
            float[] x = RandomArray(rng, n + Guard, -2f, 2f);
            float[] y0 = RandomArray(rng, n + Guard, -2f, 2f);
            for (int i = n; i < y0.Length; i++) y0[i] = Poison;
            float[] ys = (float[])y0.Clone(), yr = (float[])y0.Clone();
            float[] ss = Poisoned(n + Guard), sr = Poisoned(n + Guard);
            fixed (float* px = x, pys = ys, pyr = yr, pss = ss, psr = sr)
            {
                SimdKernels.Axpy(alpha, px, pys, n);
                ScalarKernels.Axpy(alpha, px, pyr, n);
                SimdKernels.Scale(alpha, px, pss, n);
                ScalarKernels.Scale(alpha, px, psr, n);
            }
            AssertBitwise(ys, yr, n, $"Axpy n={n}");
            AssertBitwise(ss, sr, n, $"Scale n={n}");
            for (int i = 0; i < n; i++) Assert.That(Close(ys[i], y0[i] + (double)alpha * x[i], 1e-6, 1e-6), $"Axpy vs float64 at {i}");
        }
    }

    /// <summary>Same bits (so −0 ≠ +0), or both NaN.</summary>
    private static bool SameValue(float x, float y)
        => float.IsNaN(x) ? float.IsNaN(y) : BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y);

    private static void AssertBitwise(float[] actual, float[] expected, int n, string what)
    {
        for (int i = 0; i < n; i++)
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                Assert.Fail($"{what}: element {i} = {actual[i]:R}, scalar twin {expected[i]:R}");
        for (int i = n; i < actual.Length; i++)
            if (!IsPoison(actual[i]) || !IsPoison(expected[i]))
                Assert.Fail($"{what}: element {i} past the end was written ({actual[i]:R} / {expected[i]:R})");
    }
}
