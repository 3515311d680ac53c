namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The three convolution passes as <see cref="CpuJob"/>s over blocks of patch rows (<see cref="ConvPatches"/>).
/// Each block is one single-threaded SGEMM whose A operand is gathered from the image, so the patch matrix is
/// never stored whole. Every element's float operations are fixed by the geometry alone (SGEMM results do not
/// depend on how rows are tiled), so results are bitwise the same at any thread count.
/// </summary>
internal static unsafe class ConvJobs
{
    /// <summary>y = f(P·K + bias): one part per block of rows; bias and f in the GEMM epilogue.</summary>
    internal sealed class Forward : CpuJob
    {
        public float* X, Kernel, Y;
        public ConvGeometry G;
        public GemmEpilogue Epilogue;
        public int BlockRows;

        public override void Execute(int part, int parts)
        {
            int r0 = part * BlockRows, count = Math.Min(BlockRows, G.Rows - r0);
            int k = G.PatchSize, n = G.OutChannels;
            float* patches = ConvPatches.Buffer(BlockRows * k);
            ConvPatches.Gather(X, G, r0, count, patches);
            Sgemm.RunSingleThreaded(false, false, count, n, k, 1f, patches, k, Kernel, n, 0f, Y + (long)r0 * n, n, Epilogue.FromColumn(0));
        }
    }

    /// <summary>
    /// dK = Pᵀ·dy: the rows are cut into <see cref="Segments"/> fixed segments (a function of the geometry only),
    /// each summed block by block into its own partial; the partials are then added in segment order. With
    /// <see cref="BiasGradient"/> each partial also holds Σ dy over its rows (the bias gradient) after dK, summed
    /// from the same block of dy while it is in cache.
    /// </summary>
    internal sealed class Filter : CpuJob
    {
        public float* X, Dy;
        public SegmentPartials Sums = null!;
        public ConvGeometry G;
        public int BlockRows, Blocks, Segments;
        public bool BiasGradient;

        public override void Execute(int part, int parts)
        {
            int k = G.PatchSize, n = G.OutChannels;
            float* partial = Sums.Of(part);
            float* patches = ConvPatches.Buffer(BlockRows * k);
            int first = (int)((long)part * Blocks / Segments), last = (int)((long)(part + 1) * Blocks / Segments);
            for (int block = first; block < last; block++)
            {
                int r0 = block * BlockRows, count = Math.Min(BlockRows, G.Rows - r0);
                ConvPatches.Gather(X, G, r0, count, patches);
                Sgemm.RunSingleThreaded(true, false, k, n, count, 1f, patches, k, Dy + (long)r0 * n, n, block == first ? 0f : 1f, partial, n);
                if (BiasGradient) ColumnSums.Accumulate(Dy + (long)r0 * n, count, n, partial + (long)k * n, overwrite: block == first);
            }
        }
    }

    /// <summary>
    /// dx: one part per range of samples (a sample's patches overlap only within the sample). Each block of rows
    /// gets dP = dy·Kᵀ, which is added back onto dx in row order.
    /// </summary>
    internal sealed class Input : CpuJob
    {
        public float* Dy, Kernel, Dx;
        public ConvGeometry G;
        public int BlockRows;

        public override void Execute(int part, int parts)
        {
            int k = G.PatchSize, n = G.OutChannels, pixels = G.OutHeight * G.OutWidth;
            int b0 = (int)((long)part * G.Batch / parts), b1 = (int)((long)(part + 1) * G.Batch / parts);
            long image = (long)G.InHeight * G.InWidth * G.InChannels;
            new Span<float>(Dx + b0 * image, checked((int)((b1 - b0) * image))).Clear();
            float* patches = ConvPatches.Buffer(BlockRows * k);
            for (int r0 = b0 * pixels, end = b1 * pixels; r0 < end; r0 += BlockRows)
            {
                int count = Math.Min(BlockRows, end - r0);
                Sgemm.RunSingleThreaded(false, true, count, k, n, 1f, Dy + (long)r0 * n, n, Kernel, n, 0f, patches, k);
                ConvPatches.ScatterAdd(patches, G, r0, count, Dx);
            }
        }
    }
}
