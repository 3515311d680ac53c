namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The kernel gradient of a 3×3 stride-1 convolution by Winograd F(2×2, 3×3) (<see cref="WinogradGradientTransforms"/>)
/// as a <see cref="CpuJob"/>. The tiles are cut into blocks of <see cref="BlockTiles"/> and the blocks into
/// <see cref="Segments"/> fixed segments (both functions of the shape alone); one part per segment. For each block a
/// part transforms its input tiles into V(16, tiles, C) and its output-gradient tiles into dM'(16, tiles, K), then
/// accumulates the 16 GEMMs dU'[ξ] += V[ξ]ᵀ·dM'[ξ] (C × tiles)·(tiles × K) into its segment's partial, and with
/// <see cref="BiasGradient"/> adds the block's dy (dM'[5] holds each tile's sum) into the partial's bias tail.
/// <see cref="SegmentPartials"/> adds the partials in segment order and <see cref="Transform"/> turns dU' into the kernel once, so results are
/// bitwise the same at any thread count.
/// </summary>
internal sealed unsafe class WinogradFilterJob : CpuJob
{
    public float* X, Dy;
    public SegmentPartials Sums = null!;
    public WinogradShape S;
    public int BlockTiles, Blocks, Segments;
    public bool BiasGradient;

    /// <summary>Largest block (the GEMMs' inner dimension is the tiles). At 32 → 64 channels, 1 thread, blocks of 32 to 256 tiles
    /// measured within the noise of each other (the fit to L2 gives 80 there).</summary>
    internal const int MaxBlockTiles = 128;

    /// <summary>Smallest block, above the L2 fit for wide layers: every block's 16 GEMMs read and write the whole
    /// dU' partial (16·C·K floats), so a few tiles per block would make that traffic dominate. At 512 → 512 channels
    /// (fit: 8 tiles) the kernel gradient took 38–44 ms with blocks of 8 tiles, 30–31 ms with 32, 27–29 ms with 64.</summary>
    internal const int MinBlockTiles = 32;

    /// <summary>
    /// Tiles per block for C input and K output channels: a multiple of 8 from <see cref="MinBlockTiles"/> to
    /// <see cref="MaxBlockTiles"/>, else what fits <see cref="WinogradJob.BlockFloats"/> (V and dM' stay in L2).
    /// A function of the shape alone.
    /// </summary>
    public static int TilesPerBlock(int c, int k) => Math.Clamp(WinogradJob.BlockFloats / (16 * (c + k)) / 8 * 8, MinBlockTiles, MaxBlockTiles);

    /// <summary>Floats of one segment's partial: dU'(16, C, K), then K bias sums with <see cref="BiasGradient"/>.</summary>
    public long PartialLength => 16L * S.InChannels * S.OutChannels + (BiasGradient ? S.OutChannels : 0);

    public override void Execute(int part, int parts)
    {
        int c = S.InChannels, k = S.OutChannels;
        long vPlane = (long)BlockTiles * c + WinogradJob.PlanePad, mPlane = (long)BlockTiles * k + WinogradJob.PlanePad, uPlane = (long)c * k;
        float* v = ConvPatches.Buffer(checked((int)(16 * (vPlane + mPlane)) + Math.Max(c, k)));   // V (16, tiles, C), dM' (16, tiles, K), zeros
        float* dm = v + 16 * vPlane, zeros = dm + 16 * mPlane;
        new Span<float>(zeros, Math.Max(c, k)).Clear();
        float* partial = Sums.Of(part);
        int first = (int)((long)part * Blocks / Segments), last = (int)((long)(part + 1) * Blocks / Segments);
        for (int block = first; block < last; block++)
        {
            int t0 = block * BlockTiles, count = Math.Min(BlockTiles, S.Tiles - t0);
            WinogradTransforms.InputTiles(X, S, t0, count, v, c, vPlane, zeros);
            WinogradGradientTransforms.OutputGradientTiles(Dy, S, t0, count, dm, k, mPlane, zeros);
            float beta = block == first ? 0f : 1f;
            for (int xi = 0; xi < 16; xi++)
                Sgemm.RunSingleThreaded(true, false, c, k, count, 1f, v + xi * vPlane, c, dm + xi * mPlane, k, beta, partial + xi * uPlane, k);
            if (BiasGradient) ColumnSums.Accumulate(dm + 5 * mPlane, count, k, partial + 16 * uPlane, overwrite: block == first);
        }
    }

    /// <summary>dK (3, 3, C, K) and, with <see cref="BiasGradient"/>, db (K) after it, from the partials' sum (in segment order, <see cref="SegmentPartials.Run"/>), transformed.</summary>
    public void Transform(float* sum, float* dkernel)
    {
        int c = S.InChannels, k = S.OutChannels;
        WinogradGradientTransforms.Filters(sum, c, k, dkernel);
        if (BiasGradient) new ReadOnlySpan<float>(sum + 16L * c * k, k).CopyTo(new Span<float>(dkernel + 9L * c * k, k));
    }
}
