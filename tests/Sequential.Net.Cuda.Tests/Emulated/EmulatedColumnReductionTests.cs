using SequentialNet.Backends;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The column reductions (bias gradients: sum_rows_f32; batch-norm statistics and backward sums) split their
/// rows over blocks: against the CPU at many shapes, more than one block per 32-column tile once the batch
/// passes a chunk, and bit for bit the same result when the grid is forced down to one or two chunk slots
/// (the chunks are fixed by the sizes, and the chunk sums are added in a fixed order).
/// Tolerance: reductions, atol 1e-6, rtol 1e-4, widened to 1e-3 past 1,024 rows (docs/testing.md).
/// </summary>
[Category("Emulated")]
public class EmulatedColumnReductionTests : EmulatedBackendPair
{
    private static readonly string[] SplitKernels = ["sum_rows_f32", "batchnorm_column_partial_f32", "batchnorm_bwd_reduce_f32"];

    private static IEnumerable<TestCaseData> Shapes()
    {
        foreach (int rows in new[] { 1, 31, 128, 129, 1000, 4097 })
            foreach (int cols in new[] { 1, 10, 33, 130 })
                yield return new TestCaseData(rows, cols).SetArgDisplayNames($"{rows}x{cols}");
    }

    private EmulatedDevice Device => (EmulatedDevice)Emu.Device;

    private static float[] Values(int count, int seed, double shift)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1 + shift)).ToArray();
    }

    /// <summary>Runs the three reductions on the emulated device with the chunk slots of the grid capped at <paramref name="gridY"/> (0: as launched).</summary>
    private (float[] Sums, float[] Stats, float[] GradSums, uint MaxGridY) RunEmulated(Pair x, Pair dy, int rows, int cols, uint gridY)
    {
        uint maxY = 0;
        Device.LaunchOverride = (kernel, grid, block) =>
        {
            if (!SplitKernels.Contains(kernel)) return (grid, block);
            maxY = Math.Max(maxY, grid.Y);
            return (gridY == 0 ? grid : grid with { Y = Math.Min(grid.Y, gridY) }, block);
        };
        try
        {
            using var sums = Emu.Allocate(cols);
            using var stats = Emu.Allocate(2 * cols);
            using var grad = Emu.Allocate(2 * cols);
            Emu.Fill(sums, float.NaN);
            Emu.Fill(stats, float.NaN);
            Emu.Fill(grad, float.NaN);
            Emu.SumRows(x.Emu, sums, rows, cols);
            Emu.BatchNormStatistics(x.Emu, stats, rows, cols);
            Emu.BatchNormBackwardReduce(x.Emu, Emu.View(stats, 0, cols), Emu.View(stats, cols, cols), dy.Emu, grad, rows, cols, 1e-3f);
            float[] a = new float[cols], b = new float[2 * cols], c = new float[2 * cols];
            Emu.Download(sums, a);
            Emu.Download(stats, b);
            Emu.Download(grad, c);
            return (a, b, c, maxY);
        }
        finally
        {
            Device.LaunchOverride = null;
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void MatchTheCpuAndGiveTheSameBitsAtEveryGridSize(int rows, int cols)
    {
        var x = Floats(Values(rows * cols, rows * 31 + cols, shift: 0.75));
        var dy = Floats(Values(rows * cols, rows + 17 * cols, shift: 0));
        var full = RunEmulated(x, dy, rows, cols, gridY: 0);

        using var sums = Cpu.Allocate(cols);
        using var stats = Cpu.Allocate(2 * cols);
        using var grad = Cpu.Allocate(2 * cols);
        Cpu.SumRows(x.Cpu, sums, rows, cols);
        Cpu.BatchNormStatistics(x.Cpu, stats, rows, cols);
        // Both backends' backward sums are taken around the emulated statistics, so only the reduction differs.
        using var mean = Cpu.Allocate(cols);
        using var variance = Cpu.Allocate(cols);
        Cpu.Upload(full.Stats.AsSpan(0, cols), mean);
        Cpu.Upload(full.Stats.AsSpan(cols), variance);
        Cpu.BatchNormBackwardReduce(x.Cpu, mean, variance, dy.Cpu, grad, rows, cols, 1e-3f);
        float[] a = new float[cols], b = new float[2 * cols], c = new float[2 * cols];
        Cpu.Download(sums, a);
        Cpu.Download(stats, b);
        Cpu.Download(grad, c);
        // docs/testing.md widens the reduction tolerance with the length: past 1,024 rows, sums of thousands of terms
        // of magnitude ~1 that cancel to below 1 (the dy·x̂ sums) differ from the CPU's order by ~1.5e-4 relative.
        double rtol = rows > 1024 ? 1e-3 : Parity.ReductionRtol;
        AssertClose(full.Sums, a, rtol, "column sums");
        AssertClose(full.Stats, b, rtol, "batch-norm statistics");
        AssertClose(full.GradSums, c, rtol, "batch-norm backward sums");

        if (rows > 128) Assert.That(full.MaxGridY, Is.GreaterThan(1u), "a batch past one chunk is split over several blocks per column tile");
        foreach (uint small in new[] { 1u, 2u })
        {
            var narrow = RunEmulated(x, dy, rows, cols, small);
            Assert.That(Bits(narrow.Sums), Is.EqualTo(Bits(full.Sums)), $"column sums with {small} chunk slot(s)");
            Assert.That(Bits(narrow.Stats), Is.EqualTo(Bits(full.Stats)), $"statistics with {small} chunk slot(s)");
            Assert.That(Bits(narrow.GradSums), Is.EqualTo(Bits(full.GradSums)), $"backward sums with {small} chunk slot(s)");
        }
    }

    [Test]
    public void ChunksDependOnTheSizesOnly()
    {
        Assert.That(CudaBackend.ChunkRows(32, 10), Is.EqualTo(128));
        Assert.That(CudaBackend.Chunks(32, 128), Is.EqualTo(1));
        Assert.That(CudaBackend.Chunks(0, 128), Is.EqualTo(1), "rows = 0 still writes zeros");
        Assert.That(CudaBackend.Chunks(60000, CudaBackend.ChunkRows(60000, 10)), Is.EqualTo(469), "a Dense(10) bias gradient over 60,000 rows: 469 chunks of 128 rows");
        int wide = CudaBackend.ChunkRows(100_000, 4096);
        Assert.That((long)CudaBackend.Chunks(100_000, wide) * 4096, Is.LessThanOrEqualTo(1 << 20), "the partials fit the scratch buffer");
    }

    private static uint[] Bits(float[] values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();

    private static void AssertClose(float[] actual, float[] expected, double rtol, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.That(!float.IsNaN(actual[i]) && Math.Abs(actual[i] - expected[i]) <= Parity.Atol + rtol * Math.Abs(expected[i]),
                $"{what} element {i}: emulated {actual[i]:R} vs CPU {expected[i]:R}");
    }
}
