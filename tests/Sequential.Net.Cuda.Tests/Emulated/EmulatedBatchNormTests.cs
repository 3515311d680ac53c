using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The batch-norm primitives (kernels/batchnorm.cu) on the emulated device against the CPU backend, at
/// odd sizes: one row, a partial 32-row stride, 257 rows; one feature, a partial 32-column tile, 130
/// features (five tiles, the last partial). Outputs are poisoned with NaN first. The column reductions
/// repeat bit for bit. Tolerance: reductions, atol 1e-6, rtol 1e-4 (docs/testing.md).
/// </summary>
[Category("Emulated")]
public class EmulatedBatchNormTests : EmulatedBackendPair
{
    private const float Epsilon = 1e-3f;

    private static float[] Random(int count, int seed, double shift = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(SequentialNet.Tests.Graph.OpCases.AwayFromZero(random) * 2 + shift)).ToArray();
    }

    private static IEnumerable<TestCaseData> Sizes()
    {
        foreach (int rows in new[] { 1, 3, 257 })
            foreach (int features in new[] { 1, 5, 130 })
                yield return new TestCaseData(rows, features).SetArgDisplayNames($"{rows}x{features}");
    }

    [TestCaseSource(nameof(Sizes))]
    public void PrimitivesMatchTheCpu(int rows, int features)
    {
        int n = rows * features;
        var x = Floats(Random(n, rows + features, shift: 1.5));
        var dy = Floats(Random(n, 7 * rows + features));
        var gamma = Floats(Random(features, 3));
        var beta = Floats(Random(features, 4));
        var stats = Poison(2 * features);
        void Both(Action<IBackend, bool> action) { action(Cpu, true); action(Emu, false); }
        DeviceBuffer On(Pair pair, bool cpu) => cpu ? pair.Cpu : pair.Emu;

        Both((k, c) => k.BatchNormStatistics(On(x, c), On(stats, c), rows, features));
        AssertSame(stats, Parity.ReductionRtol, "statistics");
        // Both backends go on from the CPU's statistics, so every primitive is compared on the same inputs.
        var s = new float[2 * features];
        Cpu.Download(stats.Cpu, s);
        var mean = Floats(s[..features]);
        var variance = Floats(s[features..]);
        foreach (bool affine in new[] { true, false })
        {
            var y = Poison(n);
            Both((k, c) => k.BatchNormForward(On(x, c), On(mean, c), On(variance, c), affine ? On(gamma, c) : null, affine ? On(beta, c) : null, On(y, c), rows, features, Epsilon));
            AssertSame(y, Parity.ElementwiseRtol, $"normalize (affine: {affine})");
        }
        var sums = Poison(2 * features);
        Both((k, c) => k.BatchNormBackwardReduce(On(x, c), On(mean, c), On(variance, c), On(dy, c), On(sums, c), rows, features, Epsilon));
        AssertSame(sums, Parity.ReductionRtol, "backward sums");
        var cpuSums = new float[2 * features];
        Cpu.Download(sums.Cpu, cpuSums);
        var sameSums = Floats(cpuSums);
        foreach (bool batchStatistics in new[] { true, false })
        {
            var dx = Poison(n);
            Both((k, c) => k.BatchNormBackwardInput(On(x, c), On(mean, c), On(variance, c), On(gamma, c), On(dy, c), batchStatistics ? On(sameSums, c) : null, On(dx, c),
                rows, features, Epsilon, batchStatistics));
            AssertSame(dx, Parity.ElementwiseRtol, $"dx (batch statistics: {batchStatistics})");
        }
    }

    [Test]
    public void ColumnReductionsRepeatBitForBit()
    {
        const int rows = 257, features = 130;
        float[] values = Random(rows * features, 11);
        var x = Emu.Allocate(values.Length);
        Emu.Upload(values, x);
        var dy = Emu.Allocate(values.Length);
        Emu.Upload(Random(rows * features, 12), dy);
        float[] Run()
        {
            var stats = Emu.Allocate(2 * features);
            var sums = Emu.Allocate(2 * features);
            Emu.BatchNormStatistics(x, stats, rows, features);
            Emu.BatchNormBackwardReduce(x, Emu.View(stats, 0, features), Emu.View(stats, features, features), dy, sums, rows, features, Epsilon);
            var result = new float[4 * features];
            Emu.Download(stats, result.AsSpan(0, 2 * features));
            Emu.Download(sums, result.AsSpan(2 * features));
            return result;
        }
        Assert.That(Run(), Is.EqualTo(Run()));
    }

    [Test]
    public void ZeroRowsGiveZeroStatisticsOnBothBackends()
    {
        var x = Floats([]);
        var stats = Poison(2 * 5);
        Cpu.BatchNormStatistics(x.Cpu, stats.Cpu, 0, 5);
        Emu.BatchNormStatistics(x.Emu, stats.Emu, 0, 5);
        Assert.That(AssertSame(stats, Parity.ReductionRtol, "statistics of no rows"), Is.All.EqualTo(0f));
    }

    [Test]
    public void ShortBuffersAreRejectedWithTheirName()
    {
        var x = Emu.Allocate(12);
        var e = Assert.Throws<ArgumentException>(() => Emu.BatchNormStatistics(x, Emu.Allocate(5), 4, 3))!;
        Assert.That(e.ParamName, Is.EqualTo("stats"));
        Assert.That(e.Message, Does.Contain("BatchNormStatistics").And.Contain("6"));
        var gammaError = Assert.Throws<ArgumentException>(() => Emu.BatchNormForward(x, Emu.Allocate(3), Emu.Allocate(3), Emu.Allocate(2), null, Emu.Allocate(12), 4, 3, Epsilon))!;
        Assert.That(gammaError.ParamName, Is.EqualTo("gamma"));
        Assert.Throws<ArgumentNullException>(() => Emu.BatchNormBackwardInput(x, Emu.Allocate(3), Emu.Allocate(3), null, x, null, Emu.Allocate(12), 4, 3, Epsilon, batchStatistics: true));
    }
}
