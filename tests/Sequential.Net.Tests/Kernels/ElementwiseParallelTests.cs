using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using static SequentialNet.Tests.Kernels.KernelTestUtil;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// Elementwise primitives split over the workers: every element is written, and the result is bitwise the
/// same at every thread count (1 thread is the unsplit pass), at lengths around the split threshold.
/// </summary>
[TestFixture, NonParallelizable]
public class ElementwiseParallelTests
{
    private int _savedOverride;

    [SetUp]
    public void SaveThreadCount() => _savedOverride = CpuWorkers.ThreadCount == CpuWorkers.DefaultThreadCount ? 0 : CpuWorkers.ThreadCount;

    [TearDown]
    public void RestoreThreadCount() => CpuWorkers.ThreadCount = _savedOverride;

    private const int T = ElementwiseParallel.Threshold;

    public static IEnumerable<int> Lengths => [T - 1, T, T + 1, 2 * T + 15, 5 * T + 77];

    [Test]
    public void Chunks_CoverEveryElementOnce_OnAlignedBoundaries([Values(1, 2, 3, 7, 1000)] int n, [Values(1, 2, 3, 4)] int parts)
    {
        int expectedStart = 0;
        for (int p = 0; p < parts; p++)
        {
            int start = ElementwiseParallel.ChunkStart(n, p, parts), end = ElementwiseParallel.ChunkStart(n, p + 1, parts);
            Assert.That(start, Is.EqualTo(expectedStart));
            Assert.That(start == n || start % ElementwiseParallel.Alignment == 0, $"chunk {p} starts at {start}");
            expectedStart = Math.Max(start, end);
        }
        Assert.That(expectedStart, Is.EqualTo(n));
    }

    [TestCaseSource(nameof(Lengths))]
    public void UnaryBinaryScale_AreBitwiseEqual_AtEveryThreadCount(int n)
    {
        var rng = new Random(n);
        float[] x = RandomArray(rng, n, -3f, 3f), b = RandomArray(rng, n, -2f, 2f), dy = RandomArray(rng, n, -1f, 1f);
        float[][] Run(int threads)
        {
            CpuWorkers.ThreadCount = threads;
            using var backend = new CpuBackend();
            var bx = backend.Allocate(n); backend.Upload(x, bx);
            var bb = backend.Allocate(n); backend.Upload(b, bb);
            var bdy = backend.Allocate(n); backend.Upload(dy, bdy);
            var outs = new DeviceBuffer[5];
            for (int i = 0; i < outs.Length; i++) { outs[i] = backend.Allocate(n); backend.Upload(Poisoned(n), outs[i]); }
            backend.Unary(new Sigmoid(), bx, outs[0]);
            backend.UnaryBackward(new Tanh(), bx, outs[0], bdy, outs[1]);
            backend.Binary(new Mul(), bx, bb, outs[2]);
            backend.Scale(bx, 0.37f, outs[3]);
            backend.Copy(bx, outs[4]);
            backend.Unary(new Gelu(), outs[4], outs[4]);   // in place
            return outs.Select(o => { var h = new float[n]; backend.Download(o, h); return h; }).ToArray();
        }
        float[][] single = Run(1);
        foreach (float[] o in single) Assert.That(o.Any(IsPoison), Is.False);
        foreach (int threads in new[] { 2, 3, 4 })
        {
            float[][] split = Run(threads);
            for (int k = 0; k < single.Length; k++)
                Assert.That(split[k], Is.EqualTo(single[k]).AsCollection, $"output {k} at {threads} threads");
        }
    }

    [Test]
    public void RowBroadcast_IsBitwiseEqual_AtEveryThreadCount([Values(1, 7, 129)] int cols)
    {
        int rows = 3 * T / cols + 5, n = rows * cols;
        var rng = new Random(cols);
        float[] a = RandomArray(rng, n, -3f, 3f), row = RandomArray(rng, cols, -1f, 1f);
        float[] Run(int threads)
        {
            CpuWorkers.ThreadCount = threads;
            using var backend = new CpuBackend();
            var ba = backend.Allocate(n); backend.Upload(a, ba);
            var br = backend.Allocate(cols); backend.Upload(row, br);
            var c = backend.Allocate(n); backend.Upload(Poisoned(n), c);
            backend.BinaryRowBroadcast(new Add(), ba, br, c, rows, cols);
            var h = new float[n]; backend.Download(c, h);
            return h;
        }
        float[] single = Run(1);
        for (int i = 0; i < n; i++) Assert.That(single[i], Is.EqualTo(a[i] + row[i % cols]));
        foreach (int threads in new[] { 2, 3 }) Assert.That(Run(threads), Is.EqualTo(single).AsCollection);
    }

    [Test]
    public void Softmax_IsBitwiseEqual_AtEveryThreadCount([Values(1, 10, 37)] int cols)
    {
        int rows = 5 * CpuBackend.SoftmaxThreshold / cols + 3, n = rows * cols;
        var x = RandomArray(new Random(cols), n, -20f, 20f);
        float[] Run(int threads)
        {
            CpuWorkers.ThreadCount = threads;
            using var backend = new CpuBackend();
            var bx = backend.Allocate(n); backend.Upload(x, bx);
            var by = backend.Allocate(n); backend.Upload(Poisoned(n), by);
            backend.Softmax(bx, by, rows, cols);
            var h = new float[n]; backend.Download(by, h);
            return h;
        }
        float[] single = Run(1);
        for (int r = 0; r < rows; r++)
        {
            double max = x.Skip(r * cols).Take(cols).Max(), sum = x.Skip(r * cols).Take(cols).Sum(v => Math.Exp(v - max));
            for (int j = 0; j < cols; j++)
                Assert.That(single[r * cols + j], Is.EqualTo(Math.Exp(x[r * cols + j] - max) / sum).Within(1e-6), $"row {r}, column {j}");
        }
        foreach (int threads in new[] { 2, 3 }) Assert.That(Run(threads), Is.EqualTo(single).AsCollection);
    }

    [Test]
    public void AugmentationIsBitwiseEqual_AtEveryThreadCount([Values(false, true)] bool crop)
    {
        const int batch = 40, h = 28, w = 28, c = 1, image = h * w * c;
        var images = RandomArray(new Random(5), batch * image, 0f, 1f);
        var spec = new AugmentSpec { FlipHorizontal = true, RotationLower = -0.1f, RotationUpper = 0.1f, HeightZoomLower = -0.2f, HeightZoomUpper = 0.2f, WidthZoomFollowsHeight = true };
        var cropSpec = CropSpec.Random(24, 24);
        int outImage = crop ? 24 * 24 * c : image;
        float[] Run(int threads)
        {
            CpuWorkers.ThreadCount = threads;
            using var backend = new CpuBackend();
            var src = backend.Allocate(batch * image); backend.Upload(images, src);
            var dst = backend.Allocate(batch * outImage); backend.Upload(Poisoned(batch * outImage), dst);
            var counters = backend.AllocateInt(StateSlots.CounterCount);
            backend.SetCounter(counters, StateSlots.OptimizerStep, 17);
            if (crop) backend.CropResize(src, dst, batch, h, w, c, cropSpec, 9, 2, counters);
            else backend.AffineWarp(src, dst, batch, h, w, c, spec, 9, 2, counters);
            var result = new float[batch * outImage]; backend.Download(dst, result);
            return result;
        }
        float[] single = Run(1);
        Assert.That(single.All(float.IsFinite), "every output element written");
        // Sample b alone, as the host preview computes it, is the b-th image of the batch.
        var t = AugmentMath.Draw(spec, h, w, 9, 17, 2, batch - 1);
        var last = new float[image];
        if (!crop)
        {
            AugmentMath.Warp(images.AsSpan((batch - 1) * image, image), last, h, w, c, spec, t);
            Assert.That(single.AsSpan((batch - 1) * image, image).SequenceEqual(last), "the last sample");
        }
        foreach (int threads in new[] { 2, 3 }) Assert.That(Run(threads), Is.EqualTo(single).AsCollection);
    }

    [Test]
    public void BatchNormRowPasses_AreBitwiseEqual_AtEveryThreadCount([Values(5, 130)] int features)
    {
        int rows = 3 * T / features + 7, n = rows * features;
        var rng = new Random(features);
        float[] x = RandomArray(rng, n, -2f, 4f), dy = RandomArray(rng, n, -1f, 1f), gamma = RandomArray(rng, features, 0.5f, 2f),
            beta = RandomArray(rng, features, -1f, 1f);
        float[][] Run(int threads)
        {
            CpuWorkers.ThreadCount = threads;
            using var backend = new CpuBackend();
            DeviceBuffer Buffer(float[] values) { var b = backend.Allocate(values.Length); backend.Upload(values, b); return b; }
            var bx = Buffer(x); var bdy = Buffer(dy); var bg = Buffer(gamma); var bb = Buffer(beta);
            var stats = backend.Allocate(2 * features);
            backend.BatchNormStatistics(bx, stats, rows, features);
            var mean = backend.View(stats, 0, features); var variance = backend.View(stats, features, features);
            var y = Buffer(Poisoned(n)); var sums = backend.Allocate(2 * features);
            var dxTrain = Buffer(Poisoned(n)); var dxInference = Buffer(Poisoned(n));
            backend.BatchNormForward(bx, mean, variance, bg, bb, y, rows, features, 1e-3f);
            backend.BatchNormBackwardReduce(bx, mean, variance, bdy, sums, rows, features, 1e-3f);
            backend.BatchNormBackwardInput(bx, mean, variance, bg, bdy, sums, dxTrain, rows, features, 1e-3f, batchStatistics: true);
            backend.BatchNormBackwardInput(bx, mean, variance, bg, bdy, null, dxInference, rows, features, 1e-3f, batchStatistics: false);
            float[] Read(DeviceBuffer b) { var h = new float[n]; backend.Download(b, h); return h; }
            return [Read(y), Read(dxTrain), Read(dxInference)];
        }
        var single = Run(1);
        foreach (var output in single) Assert.That(output.All(float.IsFinite), "every element written");
        foreach (int threads in new[] { 2, 3 })
        {
            var split = Run(threads);
            for (int o = 0; o < single.Length; o++) Assert.That(split[o], Is.EqualTo(single[o]).AsCollection, $"output {o} at {threads} threads");
        }
    }

    [Test]
    public void GatherRows_CopiesEveryShuffledRow_AtEveryThreadCount([Values(1, 784)] int cols)
    {
        int total = 3 * T / cols + 40, rows = total - 17;      // a batch large enough to split, at cursor 9
        var source = RandomArray(new Random(cols), total * cols, -3f, 3f);
        var order = new RowOrder(0, total, Shuffled: true, Seed: 99);
        float[] Run(int threads)
        {
            CpuWorkers.ThreadCount = threads;
            using var backend = new CpuBackend();
            var src = backend.UseHostData(source);
            var dst = backend.Allocate(rows * cols); backend.Upload(Poisoned(rows * cols), dst);
            var counters = backend.AllocateInt(StateSlots.CounterCount);
            backend.SetCounter(counters, StateSlots.EvalCursor, 9);
            backend.SetCounter(counters, StateSlots.Epoch, 3);
            backend.GatherRows(src, dst, rows, cols, counters, StateSlots.EvalCursor, order);
            var h = new float[rows * cols]; backend.Download(dst, h);
            return h;
        }
        float[] single = Run(1);
        for (int r = 0; r < rows; r++)
        {
            int from = order.Row(9 + r, 3);
            Assert.That(single.AsSpan(r * cols, cols).SequenceEqual(source.AsSpan(from * cols, cols)), $"row {r} is source row {from}");
        }
        foreach (int threads in new[] { 2, 3 }) Assert.That(Run(threads), Is.EqualTo(single).AsCollection);
    }

    [TestCaseSource(nameof(Lengths))]
    public void Adam_IsBitwiseEqual_AtEveryThreadCount(int n)
    {
        var rng = new Random(n + 1);
        float[] w = RandomArray(rng, n, -1f, 1f), g = RandomArray(rng, n, -1f, 1f), m = RandomArray(rng, n, -0.1f, 0.1f), v = RandomArray(rng, n, 0.01f, 0.1f);
        float[][] Run(int threads)
        {
            CpuWorkers.ThreadCount = threads;
            using var backend = new CpuBackend();
            var bw = backend.Allocate(n); backend.Upload(w, bw);
            var bg = backend.Allocate(n); backend.Upload(g, bg);
            var bm = backend.Allocate(n); backend.Upload(m, bm);
            var bv = backend.Allocate(n); backend.Upload(v, bv);
            var hyper = backend.Allocate(StateSlots.HyperCount); backend.Fill(hyper, 1e-3f);
            var counters = backend.AllocateInt(StateSlots.CounterCount);
            backend.UploadInt([4, 0, 0, 0], counters);
            backend.AdamStep(bw, bg, bm, bv, hyper, counters, 0.9f, 0.999f, 1e-7f);
            return new[] { bw, bm, bv }.Select(o => { var h = new float[n]; backend.Download(o, h); return h; }).ToArray();
        }
        float[][] single = Run(1);
        Assert.That(single[0], Is.Not.EqualTo(w).AsCollection);
        foreach (int threads in new[] { 2, 3 })
        {
            float[][] split = Run(threads);
            for (int k = 0; k < single.Length; k++) Assert.That(split[k], Is.EqualTo(single[k]).AsCollection, $"buffer {k} at {threads} threads");
        }
    }

    public static IEnumerable<TestCaseData> OptimizerPasses()
    {
        foreach (string pass in new[] { "sgd", "sgd_nesterov", "sgd_plain", "rmsprop_centered", "rmsprop", "adagrad", "nadam", "decay", "clip" })
            yield return new TestCaseData(pass).SetName($"OptimizerPass_IsBitwiseEqual_AtEveryThreadCount({pass})");
    }

    [TestCaseSource(nameof(OptimizerPasses))]
    public void OptimizerPass_IsBitwiseEqual_AtEveryThreadCount(string pass)
    {
        int n = 3 * T + 41;
        var rng = new Random(pass.Length);
        float[] w = RandomArray(rng, n, -1f, 1f), g = RandomArray(rng, n, -1f, 1f);
        float[] s1 = RandomArray(rng, n, 0.01f, 0.1f), s2 = RandomArray(rng, n, 0.01f, 0.1f), s3 = RandomArray(rng, n, -0.01f, 0.01f);
        float[][] Run(int threads)
        {
            CpuWorkers.ThreadCount = threads;
            using var backend = new CpuBackend();
            DeviceBuffer Up(float[] data) { var b = backend.Allocate(n); backend.Upload(data, b); return b; }
            DeviceBuffer bw = Up(w), bg = Up(g), b1 = Up(s1), b2 = Up(s2), b3 = Up(s3);
            var hyper = backend.Allocate(StateSlots.HyperCount); backend.Fill(hyper, 1e-2f);
            var counters = backend.AllocateInt(StateSlots.CounterCount);
            backend.UploadInt([2, 0, 0, 0], counters);
            switch (pass)
            {
                case "sgd": backend.SgdStep(bw, bg, b1, hyper, 0.9f, false); break;
                case "sgd_nesterov": backend.SgdStep(bw, bg, b1, hyper, 0.9f, true); break;
                case "sgd_plain": backend.SgdStep(bw, bg, b1, hyper, 0f, false); break;
                case "rmsprop_centered": backend.RmspropStep(bw, bg, b1, b2, b3, hyper, 0.9f, 0.5f, 1e-7f, true); break;
                case "rmsprop": backend.RmspropStep(bw, bg, b1, b2, b3, hyper, 0.9f, 0f, 1e-7f, false); break;
                case "adagrad": backend.AdagradStep(bw, bg, b1, hyper, 1e-7f); break;
                case "nadam": backend.NadamStep(bw, bg, b1, b2, hyper, counters, 0.9f, 0.999f, 1e-7f); break;
                case "decay": backend.DecayWeights(bw, hyper, 0.004f); break;
                case "clip": backend.ClipGradientValues(bg, 0.5f); break;
            }
            return new[] { bw, bg, b1, b2, b3 }.Select(o => { var h = new float[n]; backend.Download(o, h); return h; }).ToArray();
        }
        float[][] single = Run(1);
        Assert.That(single[0].SequenceEqual(w) && single[1].SequenceEqual(g), Is.False, "the pass changed nothing");
        foreach (int threads in new[] { 2, 3 })
        {
            float[][] split = Run(threads);
            for (int k = 0; k < single.Length; k++) Assert.That(split[k], Is.EqualTo(single[k]).AsCollection, $"{pass}: buffer {k} at {threads} threads");
        }
    }

    [Test]
    public void DropoutMask_IsThePhiloxFormula_AtEveryThreadCount([Values(1, 1023, 1024, 1025, 4097, 10001)] int n)
    {
        const float rate = 0.3f;
        ulong seed = 0x1234_5678_9ABC_DEF0UL;
        var expected = new float[n];
        for (int i = 0; i < n; i++)
        {
            var (a, b, c, d) = Philox.Generate((uint)(i / 4), 5, 7, 0, (uint)seed, (uint)(seed >> 32));
            uint word = (i % 4) switch { 0 => a, 1 => b, 2 => c, _ => d };
            expected[i] = (word >> 8) * (1.0f / 16777216f) >= rate ? 1f / (1f - rate) : 0f;
        }
        foreach (int threads in new[] { 1, 2, 3 })
        {
            CpuWorkers.ThreadCount = threads;
            using var backend = new CpuBackend();
            var mask = backend.Allocate(n);
            backend.Upload(Poisoned(n), mask);
            var counters = backend.AllocateInt(StateSlots.CounterCount);
            backend.UploadInt([5, 0, 0, 0], counters);
            backend.DropoutMask(mask, rate, seed, 7, counters);
            var got = new float[n];
            backend.Download(mask, got);
            Assert.That(got, Is.EqualTo(expected).AsCollection, $"{threads} threads");
        }
    }

    [Test]
    public void VectorPhiloxGivesTheScalarGeneratorsWords()
    {
        if (!PhiloxVector.IsSupported) Assert.Ignore("no AVX-512 here: the dropout mask uses the scalar generator only");
        var rng = new Random(9);
        // Counters that wrap past uint.MaxValue inside the eight lanes, and keys whose round additions overflow.
        uint[] firsts = [0, 1, 4093, uint.MaxValue - 3, uint.MaxValue - 7, (uint)rng.Next()];
        foreach (uint first in firsts)
        {
            uint c1 = (uint)rng.Next(), c2 = (uint)rng.Next(), c3 = (uint)rng.Next(), k0 = uint.MaxValue - 5, k1 = (uint)rng.Next();
            PhiloxVector.Generate8(first, c1, c2, c3, k0, k1, out var a, out var b, out var c, out var d);
            for (int l = 0; l < 8; l++)
            {
                var (ea, eb, ec, ed) = Philox.Generate(unchecked(first + (uint)l), c1, c2, c3, k0, k1);
                Assert.That(new[] { a[l], b[l], c[l], d[l] }, Is.EqualTo(new ulong[] { ea, eb, ec, ed }), $"counter {first} + {l}");
            }
        }
    }

    [Test]
    public void DropoutMask_IsThePhiloxFormula_AtEveryRate([Values(0f, 0.25f, 0.5f, 0.3f, 0.999f)] float rate)
    {
        const int n = 4096 + 37; // whole 32-element vector blocks and a tail
        ulong seed = 77;
        var expected = new float[n];
        for (int i = 0; i < n; i++)
            expected[i] = Philox.Uniform(seed, 3, 2, (uint)i) >= rate ? 1f / (1f - rate) : 0f;
        using var backend = new CpuBackend();
        var mask = backend.Allocate(n);
        var counters = backend.AllocateInt(StateSlots.CounterCount);
        backend.UploadInt([3, 0, 0, 0], counters);
        backend.DropoutMask(mask, rate, seed, 2, counters);
        var got = new float[n];
        backend.Download(mask, got);
        Assert.That(got, Is.EqualTo(expected).AsCollection);
    }
}
