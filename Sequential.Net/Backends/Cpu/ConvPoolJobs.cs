namespace SequentialNet.Backends.Cpu;

/// <summary>
/// A ReLU convolution followed by max pooling, a block of whole images at a time, so the convolution's output
/// (the largest tensor of a first layer: (N, 26, 26, 32) for a 28 × 28 image) lives only in a per-thread buffer
/// in cache and never in memory. Forward: patches → P·K + bias, ReLU (the GEMM epilogue) → max pooling into y.
/// Kernel gradient: the same convolution is recomputed (bitwise the same values: SGEMM results do not depend
/// on the tiling), dz = the max pooling's gradient times ReLU's derivative at each window's maximum, then
/// dK += Pᵀ·dz and db += Σ dz, in fixed segments of images added in segment order (as <see cref="ConvJobs.Filter"/>),
/// so the bits do not depend on the thread count.
/// </summary>
internal static unsafe class ConvPoolJobs
{
    /// <summary>Patch rows per block of images: enough for the GEMM to run near its peak, few enough for the three buffers to stay in L2.</summary>
    private const int TargetRows = 2048;

    /// <summary>Whole images per block for <paramref name="pixels"/> convolution outputs per image (at least one).</summary>
    public static int ImagesPerBlock(int pixels) => Math.Max(1, TargetRows / Math.Max(1, pixels));

    /// <summary>Shared fields: the geometries and the three per-thread buffers of one block.</summary>
    internal abstract class Job : CpuJob
    {
        public float* X, Kernel, Bias;
        public ConvGeometry C;
        public PoolGeometry P;
        public int Images;

        protected int Pixels => C.OutHeight * C.OutWidth;
        protected long PooledImage => (long)P.OutHeight * P.OutWidth * P.Channels;

        /// <summary>
        /// Patches (rows, k) (or the direct path's scratch), then the convolution's output (rows, n), then room for
        /// its gradient (rows, n), each 64-byte aligned.
        /// </summary>
        protected void Buffers(out float* patches, out float* conv, out float* grad)
        {
            long rows = (long)Images * Pixels, convFloats = Align(rows * C.OutChannels);
            long patchFloats = Align(Math.Max(rows * C.PatchSize, SmallPatchConv.ScratchFloats((int)rows, C.PatchSize)));
            patches = ConvPatches.Buffer(checked((int)(patchFloats + 2 * convFloats)));
            conv = patches + patchFloats;
            grad = conv + convFloats;
        }

        private static long Align(long floats) => (floats + 15) / 16 * 16;

        /// <summary>Whether the direct short-patch kernels run instead of patches and GEMMs (the same forward bits).</summary>
        protected bool Direct => SmallPatchConv.Applies(C);

        /// <summary>conv(rows of images [b0, b0 + count)) = relu(P·K + bias), P gathered into <paramref name="patches"/> unless <see cref="Direct"/>.</summary>
        protected void Convolve(int b0, int count, float* patches, float* conv)
        {
            int k = C.PatchSize, n = C.OutChannels, rows = count * Pixels;
            if (Direct)
            {
                SmallPatchConv.ForwardRelu(X, C, b0 * Pixels, rows, Kernel, Bias, conv, patches);
                return;
            }
            ConvPatches.Gather(X, C, b0 * Pixels, rows, patches);
            Relu relu = default;   // on this stack frame: the epilogue reaches it by pointer
            var epilogue = new GemmEpilogue(Bias, System.Runtime.CompilerServices.Unsafe.AsPointer(ref relu), GemmEpilogue.RowKernel<Relu>());
            Sgemm.RunSingleThreaded(false, false, rows, n, k, 1f, patches, k, Kernel, n, 0f, conv, n, epilogue);
        }

        /// <summary>The pooling geometry of a block of <paramref name="count"/> images.</summary>
        protected PoolGeometry Block(int count) => P with { Batch = count };
    }

    /// <summary>y = max_pool(relu(conv(x) + bias)): one part per range of images.</summary>
    internal sealed class Forward : Job
    {
        public float* Y;

        public override void Execute(int part, int parts)
        {
            int b0 = (int)((long)part * C.Batch / parts), b1 = (int)((long)(part + 1) * C.Batch / parts);
            if (SmallPatchConv.PoolFuses(C, P))   // pooled in registers: no convolution output at all
            {
                SmallPatchConv.ForwardReluMaxPool2x2(X, C, P, b0, b1 - b0, Kernel, Bias, Y);
                return;
            }
            Buffers(out float* patches, out float* conv, out _);
            for (int b = b0; b < b1; b += Images)
            {
                int count = Math.Min(Images, b1 - b);
                Convolve(b, count, patches, conv);
                var block = Block(count);
                for (int s = 0; s < count; s++) PoolKernels.ForwardSample(PoolKind.Max, conv, Y + b * PooledImage, block, s);
            }
        }
    }

    /// <summary>
    /// (dK, db) from dy of the pooled output: blocks of images cut into <see cref="Segments"/> fixed segments,
    /// each summed into its own partial of (PatchSize + 1, F); <see cref="SegmentPartials"/> adds them in segment order.
    /// </summary>
    internal sealed class Filter : Job
    {
        public float* Dy;
        public SegmentPartials Sums = null!;
        public int Blocks, Segments;

        public override void Execute(int part, int parts)
        {
            int k = C.PatchSize, n = C.OutChannels;
            float* partial = Sums.Of(part);
            Buffers(out float* patches, out float* conv, out float* dz);
            int first = (int)((long)part * Blocks / Segments), last = (int)((long)(part + 1) * Blocks / Segments);
            for (int block = first; block < last; block++)
            {
                int b = block * Images, count = Math.Min(Images, C.Batch - b), rows = count * Pixels;
                if (SmallPatchConv.PoolFuses(C, P))   // dz straight from the window's four pixels in registers
                    SmallPatchConv.BackwardReluMaxPool2x2(X, C, P, b, count, Kernel, Bias, Dy + b * PooledImage, dz);
                else
                {
                    Convolve(b, count, patches, conv);
                    var geometry = Block(count);
                    for (int s = 0; s < count; s++) PoolKernels.BackwardSample(PoolKind.MaxAfterRelu, conv, Dy + b * PooledImage, dz, geometry, s);
                }
                if (Direct) SmallPatchConv.FilterGradient(X, C, b * Pixels, rows, dz, partial, overwrite: block == first, scratch: patches);
                else Sgemm.RunSingleThreaded(true, false, k, n, rows, 1f, patches, k, dz, n, block == first ? 0f : 1f, partial, n);
                ColumnSums.Accumulate(dz, rows, n, partial + (long)k * n, overwrite: block == first);
            }
        }
    }
}
