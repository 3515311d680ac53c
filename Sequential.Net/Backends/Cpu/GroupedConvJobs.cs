using System.Numerics.Tensors;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The three passes of a grouped convolution (DepthwiseConv2D, Conv2D with groups): x (N, H, W, C), kernel
/// (kh, kw, Cg = C/groups, F), y (N, OH, OW, F), Fg = F/groups. With one input channel per group (depthwise)
/// every tap is one SIMD multiply-add over all F output channels (x expanded to channel f / Fg when Fg &gt; 1);
/// with several, each output row, tap and group is one small single-threaded SGEMM that reads the strided
/// pixels in place. Every element's operations are fixed by the geometry alone (rows are never split between
/// parts), so results are bitwise the same at any thread count; the per-thread scratch is native memory (no
/// managed allocation per step).
/// </summary>
internal static unsafe class GroupedConvJobs
{
    /// <summary>y: one part per range of output rows (b, oy).</summary>
    internal sealed class Forward : CpuJob
    {
        public float* X, Kernel, Y;
        public ConvGeometry G;
        public int Groups;

        public override void Execute(int part, int parts)
        {
            var g = G;
            int rows = g.Batch * g.OutHeight, r0 = (int)((long)part * rows / parts), r1 = (int)((long)(part + 1) * rows / parts);
            int f = g.OutChannels, cg = g.InChannels / Groups, fg = f / Groups;
            float* expanded = cg == 1 && fg > 1 ? ConvPatches.Buffer(f) : null;
            for (int row = r0; row < r1; row++)
            {
                int b = row / g.OutHeight, oy = row % g.OutHeight;
                if (cg > 1) { GemmRow(b, oy, row, cg, fg); continue; }
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    var y = new Span<float>(Y + ((long)row * g.OutWidth + ox) * f, f);
                    y.Clear();
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)g.InHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix >= (uint)g.InWidth) continue;
                            float* x = X + (((long)b * g.InHeight + iy) * g.InWidth + ix) * g.InChannels;
                            float* k = Kernel + (long)(ky * g.KernelWidth + kx) * cg * f;
                            Tap(x, k, y, cg, fg, expanded);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// One output row with several input channels per group: per tap and group one small SGEMM,
        /// Y[ox, group outputs] += X[ix = ox·stride + offset, group inputs] · K[tap, :, group outputs], the strided
        /// pixels read in place (lda = stride·C); taps in (ky, kx) order.
        /// </summary>
        private void GemmRow(int b, int oy, int row, int cg, int fg)
        {
            var g = G;
            int f = g.OutChannels, c = g.InChannels;
            float* y = Y + (long)row * g.OutWidth * f;
            new Span<float>(y, g.OutWidth * f).Clear();
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                if ((uint)iy >= (uint)g.InHeight) continue;
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    var (first, end) = Columns(g, kx);
                    if (first >= end) continue;
                    int ix = first * g.StrideWidth + kx * g.DilationWidth - g.PadLeft;
                    float* x = X + (((long)b * g.InHeight + iy) * g.InWidth + ix) * c;
                    float* k = Kernel + (long)(ky * g.KernelWidth + kx) * cg * f;
                    for (int group = 0; group < Groups; group++)
                        Sgemm.RunSingleThreaded(false, false, end - first, fg, cg, 1f, x + group * cg, g.StrideWidth * c,
                            k + group * fg, f, 1f, y + (long)first * f + group * fg, f);
                }
            }
        }

        /// <summary>y += the tap's products: x (C) at one input pixel, k (Cg, F) at one kernel tap.</summary>
        private void Tap(float* x, float* k, Span<float> y, int cg, int fg, float* expanded)
        {
            int f = y.Length;
            if (cg == 1)
            {
                float* xs = expanded == null ? x : Expand(x, expanded, f, fg);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(xs, f), new ReadOnlySpan<float>(k, f), y, y);
                return;
            }
            for (int group = 0; group < Groups; group++)
            {
                var yg = y.Slice(group * fg, fg);
                for (int ci = 0; ci < cg; ci++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(k + (long)ci * f + group * fg, fg), x[group * cg + ci], yg, yg);
            }
        }
    }

    /// <summary>The output columns [first, end) whose tap <paramref name="kx"/> lands inside the image (a contiguous range).</summary>
    internal static (int First, int End) Columns(in ConvGeometry g, int kx)
    {
        int offset = kx * g.DilationWidth - g.PadLeft;   // ix = ox·stride + offset
        int first = offset >= 0 ? 0 : (-offset + g.StrideWidth - 1) / g.StrideWidth;
        int last = g.InWidth - 1 - offset < 0 ? -1 : (g.InWidth - 1 - offset) / g.StrideWidth;
        return (first, Math.Max(first, Math.Min(g.OutWidth, last + 1)));
    }

    /// <summary>xe[f] = x[f / fg]: a depthwise pixel spread over its output channels.</summary>
    internal static float* Expand(float* x, float* xe, int f, int fg)
    {
        for (int c = 0, o = 0; o < f; c++, o += fg)
            new Span<float>(xe + o, fg).Fill(x[c]);
        return xe;
    }

    /// <summary>dx: one part per range of input rows (b, iy); each dx element gathers the outputs its cell reached, taps in order.</summary>
    internal sealed class Input : CpuJob
    {
        public float* Dy, Kernel, Dx;
        public ConvGeometry G;
        public int Groups;

        public override void Execute(int part, int parts)
        {
            var g = G;
            int rows = g.Batch * g.InHeight, r0 = (int)((long)part * rows / parts), r1 = (int)((long)(part + 1) * rows / parts);
            int f = g.OutChannels, c = g.InChannels, cg = c / Groups, fg = f / Groups;
            float* products = cg == 1 && fg > 1 ? ConvPatches.Buffer(f) : null;
            for (int row = r0; row < r1; row++)
            {
                int b = row / g.InHeight, iy = row % g.InHeight;
                if (cg > 1) { GemmRow(b, iy, row, cg, fg); continue; }
                for (int ix = 0; ix < g.InWidth; ix++)
                {
                    var dx = new Span<float>(Dx + ((long)row * g.InWidth + ix) * c, c);
                    dx.Clear();
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int ty = iy + g.PadTop - ky * g.DilationHeight;
                        if (ty < 0 || ty % g.StrideHeight != 0 || ty / g.StrideHeight >= g.OutHeight) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int tx = ix + g.PadLeft - kx * g.DilationWidth;
                            if (tx < 0 || tx % g.StrideWidth != 0 || tx / g.StrideWidth >= g.OutWidth) continue;
                            float* dy = Dy + (((long)b * g.OutHeight + ty / g.StrideHeight) * g.OutWidth + tx / g.StrideWidth) * f;
                            float* k = Kernel + (long)(ky * g.KernelWidth + kx) * cg * f;
                            Tap(dy, k, dx, cg, fg, f, products);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// One dx row with several input channels per group: per tap and group one small SGEMM,
        /// dX[ix = ox·stride + offset, group inputs] += dY[ox, group outputs] · K[tap, :, group outputs]ᵀ (ldc =
        /// stride·C); every element of the row is written by this part only, taps in (ky, kx) order.
        /// </summary>
        private void GemmRow(int b, int iy, int row, int cg, int fg)
        {
            var g = G;
            int f = g.OutChannels, c = g.InChannels;
            float* dx = Dx + (long)row * g.InWidth * c;
            new Span<float>(dx, g.InWidth * c).Clear();
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                int ty = iy + g.PadTop - ky * g.DilationHeight;
                if (ty < 0 || ty % g.StrideHeight != 0 || ty / g.StrideHeight >= g.OutHeight) continue;
                float* dyRow = Dy + ((long)b * g.OutHeight + ty / g.StrideHeight) * g.OutWidth * f;
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    var (first, end) = Columns(g, kx);
                    if (first >= end) continue;
                    int ix = first * g.StrideWidth + kx * g.DilationWidth - g.PadLeft;
                    float* k = Kernel + (long)(ky * g.KernelWidth + kx) * cg * f;
                    for (int group = 0; group < Groups; group++)
                        Sgemm.RunSingleThreaded(false, true, end - first, cg, fg, 1f, dyRow + (long)first * f + group * fg, f,
                            k + group * fg, f, 1f, dx + (long)ix * c + group * cg, g.StrideWidth * c);
                }
            }
        }

        /// <summary>dx (C) += Σ over each channel's group outputs of dy·k, k (Cg, F) at one kernel tap.</summary>
        private static void Tap(float* dy, float* k, Span<float> dx, int cg, int fg, int f, float* products)
        {
            if (cg == 1 && fg == 1)
            {
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(dy, f), new ReadOnlySpan<float>(k, f), dx, dx);
                return;
            }
            if (cg == 1)
            {
                var p = new Span<float>(products, f);
                TensorPrimitives.Multiply(new ReadOnlySpan<float>(dy, f), new ReadOnlySpan<float>(k, f), p);
                for (int ch = 0; ch < dx.Length; ch++) dx[ch] += TensorPrimitives.Sum(p.Slice(ch * fg, fg));
                return;
            }
            for (int ch = 0; ch < dx.Length; ch++)
            {
                int f0 = ch / cg * fg;
                dx[ch] += TensorPrimitives.Dot(new ReadOnlySpan<float>(dy + f0, fg), new ReadOnlySpan<float>(k + (long)(ch % cg) * f + f0, fg));
            }
        }
    }

    /// <summary>
    /// dK: the output rows (b, oy) are cut into <see cref="Segments"/> fixed segments (a function of the geometry
    /// only), each summed row by row into its own partial; <see cref="SegmentPartials"/> adds the partials in segment order.
    /// </summary>
    internal sealed class Filter : CpuJob
    {
        public float* X, Dy;
        public SegmentPartials Sums = null!;
        public ConvGeometry G;
        public int Groups, Segments;

        public long KernelLength => G.GroupedKernelLength(Groups);

        public override void Execute(int part, int parts)
        {
            var g = G;
            int f = g.OutChannels, cg = g.InChannels / Groups, fg = f / Groups;
            int rows = g.Batch * g.OutHeight, r0 = (int)((long)part * rows / Segments), r1 = (int)((long)(part + 1) * rows / Segments);
            float* partial = Sums.Of(part);
            new Span<float>(partial, checked((int)KernelLength)).Clear();
            float* expanded = cg == 1 && fg > 1 ? ConvPatches.Buffer(f) : null;
            for (int row = r0; row < r1; row++)
            {
                int b = row / g.OutHeight, oy = row % g.OutHeight;
                for (int ky = 0; ky < g.KernelHeight; ky++)
                {
                    int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                    if ((uint)iy >= (uint)g.InHeight) continue;
                    float* xRow = X + ((long)b * g.InHeight + iy) * g.InWidth * g.InChannels;
                    float* dyRow = Dy + (long)row * g.OutWidth * f;
                    for (int kx = 0; kx < g.KernelWidth; kx++)
                    {
                        var (first, end) = Columns(g, kx);
                        float* dk = partial + (long)(ky * g.KernelWidth + kx) * cg * f;
                        if (cg > 1) { GemmTap(xRow, dyRow, dk, first, end, kx, cg, fg); continue; }
                        for (int ox = first; ox < end; ox++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            Tap(xRow + (long)ix * g.InChannels, new ReadOnlySpan<float>(dyRow + (long)ox * f, f), dk, cg, fg, f, expanded);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// One tap of one output row with several input channels per group: per group one small SGEMM,
        /// dK[tap, :, group outputs] += X[ix = ox·stride + offset, group inputs]ᵀ · dY[ox, group outputs].
        /// </summary>
        private void GemmTap(float* xRow, float* dyRow, float* dk, int first, int end, int kx, int cg, int fg)
        {
            if (first >= end) return;
            var g = G;
            int f = g.OutChannels, c = g.InChannels;
            int ix = first * g.StrideWidth + kx * g.DilationWidth - g.PadLeft;
            for (int group = 0; group < Groups; group++)
                Sgemm.RunSingleThreaded(true, false, cg, fg, end - first, 1f, xRow + (long)ix * c + group * cg, g.StrideWidth * c,
                    dyRow + (long)first * f + group * fg, f, 1f, dk + group * fg, f);
        }

        /// <summary>dk (Cg, F) += x ⊗ dy within each group, at one kernel tap.</summary>
        private void Tap(float* x, ReadOnlySpan<float> dy, float* dk, int cg, int fg, int f, float* expanded)
        {
            if (cg == 1)
            {
                float* xs = expanded == null ? x : Expand(x, expanded, f, fg);
                var row = new Span<float>(dk, f);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(xs, f), dy, row, row);
                return;
            }
            for (int group = 0; group < Groups; group++)
            {
                var dyg = dy.Slice(group * fg, fg);
                for (int ci = 0; ci < cg; ci++)
                {
                    var row = new Span<float>(dk + (long)ci * f + group * fg, fg);
                    TensorPrimitives.MultiplyAdd(dyg, x[group * cg + ci], row, row);
                }
            }
        }
    }
}
