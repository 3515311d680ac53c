using SequentialNet.Backends.Cpu;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// The CPU batch-norm kernels: the Vector256 column blocks against the scalar twin bit for bit at every
/// feature count 0..40 (every vector tail) and several row counts, outputs poisoned past the end; the
/// scalar twin against a float64 evaluation of the formulas (fp32 reductions: rtol 1e-4, docs/testing.md).
/// </summary>
[TestFixture]
public unsafe class BatchNormKernelsTests
{
    private const int Guard = 11;   // poisoned slots after the output: a full-width store past the end shows
    private const float Epsilon = 1e-3f;
    private static readonly int[] RowCounts = [0, 1, 3, 17];

    private static float[] Random(Random rng, int n, double shift = 0)
        => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2 + shift)).ToArray();

    private static float[] Poisoned(int n) => Enumerable.Repeat(float.NaN, n + Guard).ToArray();

    private static void AssertBitwise(float[] simd, float[] scalar, int n, string what)
    {
        for (int i = 0; i < n; i++)
            Assert.That(BitConverter.SingleToInt32Bits(simd[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(scalar[i])), $"{what}: element {i} {simd[i]:R} vs scalar {scalar[i]:R}");
        for (int i = n; i < simd.Length; i++)
            Assert.That(float.IsNaN(simd[i]) && float.IsNaN(scalar[i]), $"{what}: element {i} past the end was written");
    }

    private delegate void Kernel(bool simd, float[] output);

    /// <summary>Runs a kernel with SIMD and with the scalar twin into poisoned outputs of n elements and compares.</summary>
    private static float[] Twin(Kernel kernel, int n, string what)
    {
        float[] simd = Poisoned(n), scalar = Poisoned(n);
        kernel(true, simd);
        kernel(false, scalar);
        AssertBitwise(simd, scalar, n, what);
        return scalar;
    }

    [Test]
    public void SimdMatchesScalarTwinAtEveryFeatureCount()
    {
        var rng = new Random(7);
        foreach (int rows in RowCounts)
            for (int features = 0; features <= 40; features++)
            {
                int n = rows * features;
                float[] x = Random(rng, n, shift: 3), dy = Random(rng, n), gamma = Random(rng, features), beta = Random(rng, features);
                string at = $"rows={rows}, features={features}";
                float[] stats = Twin((simd, o) => { fixed (float* px = x, po = o) BatchNormKernels.Statistics(px, po, rows, features, simd); }, 2 * features, $"statistics {at}");
                float[] mean = stats[..features], variance = stats[features..(2 * features)];
                foreach (bool affine in new[] { true, false })
                    Twin((simd, o) =>
                    {
                        fixed (float* px = x, pm = mean, pv = variance, pg = gamma, pb = beta, po = o)
                            BatchNormKernels.Forward(px, pm, pv, affine ? pg : null, affine ? pb : null, po, rows, features, Epsilon, simd);
                    }, n, $"forward {at} affine={affine}");
                float[] sums = Twin((simd, o) =>
                {
                    fixed (float* px = x, pm = mean, pv = variance, pdy = dy, po = o)
                        BatchNormKernels.BackwardReduce(px, pm, pv, pdy, po, rows, features, Epsilon, simd);
                }, 2 * features, $"backward sums {at}");
                foreach (bool batchStatistics in new[] { true, false })
                    Twin((simd, o) =>
                    {
                        fixed (float* px = x, pm = mean, pv = variance, pg = gamma, pdy = dy, ps = sums, po = o)
                            BatchNormKernels.BackwardInput(px, pm, pv, pg, pdy, batchStatistics ? ps : null, po, rows, features, Epsilon, simd);
                    }, n, $"backward dx {at} batchStatistics={batchStatistics}");
            }
    }

    [TestCase(1, 1)]
    [TestCase(3, 5)]
    [TestCase(257, 130)]
    public void StatisticsAndBackwardMatchFloat64(int rows, int features)
    {
        var rng = new Random(rows * 31 + features);
        // A large common offset: the two-pass variance stays accurate where E[x²] − E[x]² would not.
        float[] x = Random(rng, rows * features, shift: 100), dy = Random(rng, rows * features), gamma = Random(rng, features);
        using var backend = new CpuBackend();
        var bx = backend.UseHostData(x);
        var stats = backend.Allocate(2 * features);
        backend.BatchNormStatistics(bx, stats, rows, features);
        var s = new float[2 * features];
        backend.Download(stats, s);
        var dx = new float[rows * features];
        var sums = backend.Allocate(2 * features);
        var bdx = backend.Allocate(rows * features);
        var mean = backend.View(stats, 0, features);
        var variance = backend.View(stats, features, features);
        backend.BatchNormBackwardReduce(bx, mean, variance, backend.UseHostData(dy), sums, rows, features, Epsilon);
        backend.BatchNormBackwardInput(bx, mean, variance, backend.UseHostData(gamma), backend.UseHostData(dy), sums, bdx, rows, features, Epsilon, batchStatistics: true);
        backend.Download(bdx, dx);
        for (int j = 0; j < features; j++)
        {
            double m = 0, v = 0, s0 = 0, s1 = 0;
            for (int r = 0; r < rows; r++) m += x[r * features + j];
            m /= rows;
            for (int r = 0; r < rows; r++) v += (x[r * features + j] - m) * (x[r * features + j] - m);
            v /= rows;
            Assert.That(s[j], Is.EqualTo(m).Within(1e-6 + 1e-6 * Math.Abs(m)), $"mean {j}");
            Assert.That(s[features + j], Is.EqualTo(v).Within(1e-6 + 1e-3 * v), $"variance {j}");
            double inv = 1 / Math.Sqrt(v + Epsilon);
            for (int r = 0; r < rows; r++)
            {
                s0 += dy[r * features + j];
                s1 += dy[r * features + j] * (x[r * features + j] - m) * inv;
            }
            for (int r = 0; r < rows; r++)
            {
                int i = r * features + j;
                double expected = gamma[j] * inv * (dy[i] - s0 / rows - (x[i] - m) * inv * s1 / rows);
                // The offset of 100 costs x − mean about 3 significant digits in float32; rtol 1e-3, atol scaled by invstd.
                Assert.That(dx[i], Is.EqualTo(expected).Within(1e-4 * Math.Abs(gamma[j]) * inv + 1e-3 * Math.Abs(expected)), $"dx ({r}, {j})");
            }
        }
    }

    [Test]
    public void StatisticsRepeatBitForBit()
    {
        var rng = new Random(3);
        const int rows = 65, features = 37;
        float[] x = Random(rng, rows * features);
        float[] a = new float[2 * features], b = new float[2 * features];
        fixed (float* px = x, pa = a, pb = b)
        {
            BatchNormKernels.Statistics(px, pa, rows, features, simd: true);
            BatchNormKernels.Statistics(px, pb, rows, features, simd: true);
        }
        Assert.That(b, Is.EqualTo(a));
    }
}
