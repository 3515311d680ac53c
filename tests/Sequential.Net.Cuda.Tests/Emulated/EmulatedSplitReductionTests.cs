using SequentialNet.Backends;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The per-variable squared norms of gradient clipping (clipnorm, global_clipnorm) and the top-k count split
/// their work into chunks fixed by the sizes, summed by any number of blocks and added in a fixed order: against
/// the CPU at many shapes, more than one block for a long variable or batch, and bit for bit the same result
/// when the grid is forced down to one or two blocks. Tolerance: reductions, rtol 1e-4 (docs/testing.md).
/// </summary>
[Category("Emulated")]
public class EmulatedSplitReductionTests : EmulatedBackendPair
{
    private const string ChunkSquares = "segment_chunk_squares_f32", TopKChunks = "count_top_k_chunks_f32";

    private EmulatedDevice Device => (EmulatedDevice)Emu.Device;

    private static IEnumerable<TestCaseData> Segments()
    {
        int[][] sets = [[1], [7, 3], [8191], [8192], [8193], [20000, 1, 3, 50000], [100000], [.. Enumerable.Range(0, 40).Select(i => 1 + i * 997 % 3001)]];
        foreach (var lengths in sets)
            foreach (bool global in new[] { false, true })
                yield return new TestCaseData(lengths, global).SetArgDisplayNames($"{lengths.Length} vars, longest {lengths.Max()}, {(global ? "global" : "per variable")}");
    }

    /// <summary>Runs <paramref name="work"/> on the emulated backend with <paramref name="kernel"/>'s grid.x capped at <paramref name="gridX"/> (0: as launched); returns the largest grid.x launched.</summary>
    private uint WithGrid(string kernel, uint gridX, Action work)
    {
        uint largest = 0;
        Device.LaunchOverride = (name, grid, block) =>
        {
            if (name != kernel) return (grid, block);
            largest = Math.Max(largest, grid.X);
            return (gridX == 0 ? grid : grid with { X = Math.Min(grid.X, gridX) }, block);
        };
        try { work(); }
        finally { Device.LaunchOverride = null; }
        return largest;
    }

    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [TestCaseSource(nameof(Segments))]
    public void ClipNormsMatchTheCpuAndGiveTheSameBitsAtEveryGridSize(int[] lengths, bool global)
    {
        var segments = new int[2 * lengths.Length];
        int offset = 0;
        for (int i = 0; i < lengths.Length; i++) { segments[2 * i] = offset; segments[2 * i + 1] = lengths[i]; offset += lengths[i] + i % 3; }   // gaps between some
        float[] values = Values(offset, lengths.Sum());
        (float[] Norms, float[] Grad, uint Grid) Emulated(uint gridX)
        {
            using var grad = Emu.Allocate(offset);
            using var seg = Emu.AllocateInt(segments.Length);
            using var norms = Emu.Allocate(lengths.Length);
            Emu.Upload(values, grad);
            Emu.UploadInt(segments, seg);
            Emu.Fill(norms, float.NaN);
            uint grid = WithGrid(ChunkSquares, gridX, () => Emu.ClipGradientNorms(grad, seg, lengths.Length, norms, 3f, global));
            float[] n = new float[lengths.Length], g = new float[offset];
            Emu.Download(norms, n);
            Emu.Download(grad, g);
            return (n, g, grid);
        }
        var full = Emulated(0);
        foreach (uint small in new uint[] { 1, 2 })
        {
            var capped = Emulated(small);
            Assert.That(capped.Norms, Is.EqualTo(full.Norms), $"squared norms, grid.x capped at {small}: the same bits");
            Assert.That(capped.Grad, Is.EqualTo(full.Grad), $"clipped gradients, grid.x capped at {small}: the same bits");
        }
        if (lengths.Max() > 2 * 8192) Assert.That(full.Grid, Is.GreaterThan(1u), "a long variable is summed by several blocks");

        using var cpuGrad = Cpu.Allocate(offset);
        using var cpuSeg = Cpu.AllocateInt(segments.Length);
        using var cpuNorms = Cpu.Allocate(lengths.Length);
        Cpu.Upload(values, cpuGrad);
        Cpu.UploadInt(segments, cpuSeg);
        Cpu.ClipGradientNorms(cpuGrad, cpuSeg, lengths.Length, cpuNorms, 3f, global);
        float[] expectedNorms = new float[lengths.Length], expectedGrad = new float[offset];
        Cpu.Download(cpuNorms, expectedNorms);
        Cpu.Download(cpuGrad, expectedGrad);
        for (int s = 0; s < lengths.Length; s++)
            Assert.That(full.Norms[s], Is.EqualTo(expectedNorms[s]).Within(Parity.Atol + Parity.ReductionRtol * Math.Abs(expectedNorms[s])), $"squared norm of variable {s}");
        for (int i = 0; i < offset; i++)
            Assert.That(full.Grad[i], Is.EqualTo(expectedGrad[i]).Within(Parity.Atol + Parity.ReductionRtol * Math.Abs(expectedGrad[i])), $"gradient {i}");
    }

    [TestCase(1, 5, 1, true)]
    [TestCase(255, 7, 2, true)]
    [TestCase(256, 3, 1, false)]
    [TestCase(257, 10, 3, true)]
    [TestCase(1000, 10, 5, true)]
    [TestCase(5000, 4, 2, false)]
    [TestCase(5000, 12, 3, true)]
    public void TopKCountMatchesTheCpuAndGivesTheSameBitsAtEveryGridSize(int rows, int cols, int k, bool sparse)
    {
        var random = new Random(rows * 7 + cols);
        float[] pred = Enumerable.Range(0, rows * cols).Select(_ => random.Next(6) / 5f).ToArray();   // ties at the boundary
        int[] classes = Enumerable.Range(0, rows).Select(_ => random.Next(cols)).ToArray();
        float[] target = sparse ? classes.Select(c => (float)c).ToArray() : Enumerable.Range(0, rows * cols).Select(i => classes[i / cols] == i % cols ? 1f : 0f).ToArray();
        float[] weights = Enumerable.Range(0, rows).Select(_ => (float)(0.1 + random.NextDouble())).ToArray();
        float[] Run(IBackend backend, uint gridX, out uint grid)
        {
            using var p = backend.Allocate(pred.Length);
            using var t = backend.Allocate(target.Length);
            using var w = backend.Allocate(rows);
            using var acc = backend.Allocate(3);
            backend.Upload(pred, p); backend.Upload(target, t); backend.Upload(weights, w);
            backend.Upload([0.5f, 0.25f, 0f], acc);
            void Count() { backend.CountTopK(p, t, w, acc, 0, rows, cols, k, sparse); backend.CountTopK(p, t, null, acc, 1, rows, cols, k, sparse); }
            grid = backend == Emu ? WithGrid(TopKChunks, gridX, Count) : 0;
            if (backend != Emu) Count();
            var host = new float[3];
            backend.Download(acc, host);
            return host;
        }
        float[] full = Run(Emu, 0, out uint launched);
        foreach (uint small in new uint[] { 1, 2 })
            Assert.That(Run(Emu, small, out _), Is.EqualTo(full), $"grid.x capped at {small}: the same bits");
        Assert.That(launched, Is.EqualTo((uint)((rows + 255) / 256)), "a block per 256-row chunk");
        float[] expected = Run(Cpu, 0, out _);
        Assert.That(full[0], Is.EqualTo(expected[0]).Within(Parity.Atol + Parity.ReductionRtol * Math.Abs(expected[0])), "weighted sum");
        Assert.That(full[1], Is.EqualTo(expected[1]), "unweighted count (exact)");
        Assert.That(full[2], Is.Zero, "nothing outside the slots");
        Assert.That(full[1] - 0.25f, Is.GreaterThan(0f).And.LessThanOrEqualTo(rows), "a non-trivial count");
    }
}
