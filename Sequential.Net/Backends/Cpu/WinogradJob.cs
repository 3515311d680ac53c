namespace SequentialNet.Backends.Cpu;

/// <summary>
/// A 3×3 stride-1 convolution by Winograd F(2×2, 3×3) (<see cref="WinogradTransforms"/>) as a <see cref="CpuJob"/>:
/// one part per block of <see cref="BlockTiles"/> consecutive 2×2 output tiles. A part transforms its input tiles
/// into V(16, tiles, C), runs the 16 GEMMs M[ξ] = V[ξ]·U[ξ] (tiles × C)·(C × K) single-threaded on
/// <see cref="Sgemm"/>, and transforms M(16, tiles, K) back into the output with the bias and activation epilogue,
/// all in one per-thread buffer sized to stay in L2, so no transformed tensor of the whole batch is stored.
/// The blocks are fixed by the shape alone and every output element's float operations by the tile alone (Sgemm
/// results do not depend on m), so results are bitwise the same at any thread count.
/// </summary>
internal sealed unsafe class WinogradJob : CpuJob
{
    /// <summary>Floats of V and M per block: 512 KB, so both stay in L2 (1 MB on Zen 4) beside U (e.g. 64 tiles
    /// for 32 → 64 channels; its GEMMs measured a few percent faster than with 32 tiles and the same as with 128).</summary>
    internal const int BlockFloats = 1 << 17;

    public float* X, Filters, Y;
    public WinogradShape S;
    public GemmEpilogue Epilogue;
    public int BlockTiles;

    /// <summary>A batch is cut into at least this many blocks where it has the tiles (a small batch still keeps every worker busy).</summary>
    internal const int MinBlocks = 8;

    /// <summary>
    /// Tiles per block for <paramref name="tiles"/> tiles of C input and K output channels: a multiple of 8
    /// (Sgemm's row panel) from 8 to 128, at most what fits <see cref="BlockFloats"/>, and small enough for
    /// <see cref="MinBlocks"/> blocks. A function of the shape alone, never of the thread count.
    /// </summary>
    public static int TilesPerBlock(int tiles, int c, int k)
    {
        int fits = Math.Clamp(BlockFloats / (16 * (c + k)) / 8 * 8, 8, 128);
        int spread = ((tiles + MinBlocks - 1) / MinBlocks + 7) / 8 * 8;
        return Math.Clamp(spread, 8, fits);
    }

    /// <summary>Parts for the current shape and block size.</summary>
    public int Parts => (S.Tiles + BlockTiles - 1) / BlockTiles;

    /// <summary>
    /// Floats between consecutive ξ planes of V and M beyond their (tiles × channels) data: one cache line, so
    /// the 16 planes a tile transform writes or reads (power-of-two strides apart otherwise, e.g. 64 × 32 floats)
    /// do not all fall into the same L1 set (measured: the input transform took 1.6–1.8× longer without it).
    /// </summary>
    internal const int PlanePad = 16;

    public override void Execute(int part, int parts)
    {
        int t0 = part * BlockTiles, count = Math.Min(BlockTiles, S.Tiles - t0);
        int c = S.InChannels, k = S.OutChannels;
        long vPlane = (long)count * c + PlanePad, mPlane = (long)count * k + PlanePad, uPlane = (long)c * k;
        float* v = ConvPatches.Buffer(16 * (BlockTiles * (c + k) + 2 * PlanePad) + c);   // V (16, tiles, C), M (16, tiles, K), C zeros
        float* m = v + 16 * vPlane, zeros = m + 16 * mPlane;
        new Span<float>(zeros, c).Clear();
        WinogradTransforms.InputTiles(X, S, t0, count, v, c, vPlane, zeros);
        WinogradTransforms.PrefetchOutput(S, t0, count, Y);
        for (int xi = 0; xi < 16; xi++)
            Sgemm.RunSingleThreaded(false, false, count, k, c, 1f, v + xi * vPlane, c, Filters + xi * uPlane, k, 0f, m + xi * mPlane, k);
        WinogradTransforms.OutputTiles(m, k, mPlane, S, t0, count, Y, Epilogue);
    }
}
