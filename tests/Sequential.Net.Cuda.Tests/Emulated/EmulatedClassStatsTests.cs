using SequentialNet.Backends;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// CountClassStats (F-beta and R² per-class sums) on the CPU backend and on the CUDA backend over the emulated
/// device. Both add each column's rows in the same order; unweighted F-beta sums of 0/1 targets are integer
/// counts and agree exactly, weighted sums and R²'s are compared at the reduction tolerance (the device may
/// contract a·b + c into one rounding).
/// </summary>
[Category("Emulated")]
public class EmulatedClassStatsTests : EmulatedBackendPair
{
    private void Both(Action<IBackend> action) { action(Cpu); action(Emu); }

    [TestCase(ClassStatKind.FBetaThreshold, 5, false)]
    [TestCase(ClassStatKind.FBetaThreshold, 5, true)]
    [TestCase(ClassStatKind.FBetaTopScore, 7, false)]
    [TestCase(ClassStatKind.FBetaTopScore, 300, true)]   // more columns than one block's threads
    [TestCase(ClassStatKind.R2, 3, false)]
    [TestCase(ClassStatKind.R2, 4, true)]
    public void CountClassStatsMatchesTheCpu(ClassStatKind kind, int cols, bool weighted)
    {
        const int rows = 203;
        var random = new Random(cols + (int)kind);
        // Coarse scores so that ties at a row's top occur, and all-zero rows (never predicted under FBetaTopScore).
        float[] pred = [.. Enumerable.Range(0, rows * cols).Select(i => i / cols % 17 == 0 ? 0f : kind == ClassStatKind.R2 ? (float)(3 * random.NextDouble() - 1) : random.Next(5) / 4f)];
        float[] target = [.. Enumerable.Range(0, rows * cols).Select(_ => kind == ClassStatKind.R2 ? (float)(2 * random.NextDouble()) : random.Next(3) == 0 ? 1f : 0f)];
        float[] weights = [.. Enumerable.Range(0, rows).Select(i => !weighted ? 1f : i % 5 == 0 ? 0f : (float)(2 * random.NextDouble()))];
        Pair p = Floats(pred), t = Floats(target), w = Floats(weights), acc = Floats(new float[2 + 4 * cols + 3]);
        Both(b =>
        {
            b.CountClassStats(kind, p.On(b), t.On(b), weighted ? w.On(b) : null, acc.On(b), 2, rows, cols, 0.5f);
            b.CountClassStats(kind, p.On(b), t.On(b), weighted ? w.On(b) : null, acc.On(b), 2, rows - 9, cols, 0.5f);   // a second, shorter batch adds on
        });
        float[] host = AssertSame(acc, kind != ClassStatKind.R2 && !weighted ? 0 : Parity.ReductionRtol, $"{kind} per-class sums");
        Assert.That(host[0] + host[1] + host[^3] + host[^2] + host[^1], Is.Zero, "nothing outside the slots");
        for (int c = 0; c < cols; c++)
        {
            float[] s = host[(2 + 4 * c)..(6 + 4 * c)];
            if (kind == ClassStatKind.R2) Assert.That(s[3], Is.EqualTo(2 * weights.Sum() - weights[^9..].Sum()).Within(1e-3), "Σ w per column");
            else Assert.That(s[0] + s[2], Is.EqualTo(s[3]).Within(1e-3), "TP + FN = the support");
        }
        Assert.That(host.Skip(2).Take(4 * cols).Where((_, i) => i % 4 == 0).Distinct().Count(), Is.GreaterThan(Math.Min(cols, 3) - 1), "columns differ");
    }

    [Test]
    public void OutOfRangeSlotsAndShortBuffersAreClearErrors()
    {
        var p = Floats(new float[6]);
        var acc = Floats(new float[8]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Emu.CountClassStats(ClassStatKind.R2, p.Emu, p.Emu, null, acc.Emu, 1, 2, 3, 0f));
        Assert.That(e!.Message, Does.Contain("CountClassStats"));
        var c = Assert.Throws<ArgumentException>(() => Cpu.CountClassStats(ClassStatKind.R2, p.Cpu, p.Cpu, null, acc.Cpu, 1, 2, 3, 0f));
        Assert.That(c!.Message, Does.Contain("CountClassStats"));
        var shortWeights = Floats(new float[1]);
        var a = Assert.Throws<ArgumentException>(() => Emu.CountClassStats(ClassStatKind.FBetaTopScore, p.Emu, p.Emu, shortWeights.Emu, acc.Emu, 0, 3, 2, 0f));
        Assert.That(a!.Message, Does.Contain("weights"));
    }
}
