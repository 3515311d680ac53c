using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The confusion-count primitives of the top-k and thresholded metrics (CountTopK, CountThresholds) on the
/// CPU backend and on the CUDA backend over the emulated device: integer counts, so equal exactly.
/// </summary>
[Category("Emulated")]
public class EmulatedMetricTests : EmulatedBackendPair
{
    private void AssertEqual(Pair pair, string what)
    {
        var expected = new float[pair.Cpu.Length];
        var actual = new float[pair.Emu.Length];
        Cpu.Download(pair.Cpu, expected);
        Emu.Download(pair.Emu, actual);
        Assert.That(actual, Is.EqualTo(expected), what);
    }

    [TestCase(1, false)]
    [TestCase(3, false)]
    [TestCase(3, true)]
    [TestCase(9, true)]
    public void CountTopKMatchesTheCpu(int k, bool sparse)
    {
        const int rows = 300, cols = 7;     // more rows than threads of the block
        var random = new Random(k);
        // Coarse values so that ties at the top-k boundary occur; a NaN and an infinity, never counted.
        float[] pred = Enumerable.Range(0, rows * cols).Select(_ => random.Next(5) / 4f).ToArray();
        pred[3 * cols + 1] = float.NaN;
        pred[5 * cols + 2] = float.PositiveInfinity;
        int[] classes = Enumerable.Range(0, rows).Select(_ => random.Next(cols)).ToArray();
        classes[3] = 1; classes[5] = 2;
        float[] target = sparse ? classes.Select(c => (float)c).ToArray()
            : Enumerable.Range(0, rows * cols).Select(i => classes[i / cols] == i % cols ? 1f : 0f).ToArray();
        if (sparse) target[7] = cols;       // out of range: never counted
        var p = Floats(pred);
        var t = Floats(target);
        var acc = Floats(new float[6]);
        foreach (IBackend b in new IBackend[] { Cpu, Emu })
        {
            var (pc, tc, ac) = b is CpuBackend ? (p.Cpu, t.Cpu, acc.Cpu) : (p.Emu, t.Emu, acc.Emu);
            b.CountTopK(pc, tc, ac, 2, rows, cols, k, sparse);
            b.CountTopK(pc, tc, ac, 2, rows, cols, k, sparse);
        }
        AssertEqual(acc, $"top-{k} counts");
        var host = new float[6];
        Cpu.Download(acc.Cpu, host);
        Assert.That(host[2], Is.GreaterThan(0f).And.LessThan(2f * rows), "a non-trivial count");
    }

    [TestCase(1, 0.5f, 0.5f)]
    [TestCase(200, -1e-7f, 1f + 1e-7f)]
    [TestCase(1500, -1e-7f, 1f + 1e-7f)]   // more thresholds than blocks: grid-stride
    public void CountThresholdsMatchesTheCpu(int count, float first, float last)
    {
        const int n = 1037;
        var random = new Random(count);
        float[] pred = Enumerable.Range(0, n).Select(i => i % 10 == 0 ? random.Next(11) / 10f : (float)random.NextDouble()).ToArray();
        float[] target = Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? 1f : 0f).ToArray();
        var p = Floats(pred);
        var t = Floats(target);
        var acc = Floats(new float[3 + 4 * count + 2]);
        foreach (IBackend b in new IBackend[] { Cpu, Emu })
        {
            var (pc, tc, ac) = b is CpuBackend ? (p.Cpu, t.Cpu, acc.Cpu) : (p.Emu, t.Emu, acc.Emu);
            b.CountThresholds(pc, tc, ac, 3, n, count, first, last);
            b.CountThresholds(pc, tc, ac, 3, n - 5, count, first, last);
        }
        AssertEqual(acc, $"confusion counts at {count} thresholds");
        var host = new float[3 + 4 * count + 2];
        Cpu.Download(acc.Cpu, host);
        for (int i = 0; i < count; i++)
            Assert.That(host[3 + 4 * i] + host[4 + 4 * i] + host[5 + 4 * i] + host[6 + 4 * i], Is.EqualTo(2f * n - 5), $"threshold {i} covers every element");
        Assert.That(host[0] + host[1] + host[2] + host[^2] + host[^1], Is.Zero, "nothing outside the slots");
    }

    [Test]
    public void CountThresholdsRejectsSlotsOutsideTheBuffer()
    {
        var p = Floats(new float[4]);
        var acc = Floats(new float[8]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Emu.CountThresholds(p.Emu, p.Emu, acc.Emu, 1, 4, 2, 0f, 1f));
        Assert.That(e!.Message, Does.Contain("CountThresholds"));
    }
}
