using System.Numerics.Tensors;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The three passes of a grouped convolution (DepthwiseConv2D, Conv2D with groups) computed directly with
/// SIMD spans: x (N, H, W, C), kernel (kh, kw, Cg = C/groups, F), y (N, OH, OW, F), Fg = F/groups. With one
/// input channel per group (depthwise) every tap is one multiply-add over all F output channels (x expanded
/// to channel f / Fg when Fg &gt; 1); otherwise each (group, input channel) adds an axpy over the group's Fg
/// outputs. Every element's operations are fixed by the geometry alone, so results are bitwise the same at any
/// thread count; the per-thread scratch is native memory (no managed allocation per step).
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
    /// dK: the output pixels are cut into <see cref="Segments"/> fixed segments (a function of the geometry only),
    /// each summed pixel by pixel into its own partial; <see cref="Reduce"/> adds the partials in segment order.
    /// </summary>
    internal sealed class Filter : CpuJob
    {
        public float* X, Dy, Partials;
        public ConvGeometry G;
        public int Groups, Segments;

        public long KernelLength => G.GroupedKernelLength(Groups);

        public override void Execute(int part, int parts)
        {
            var g = G;
            int f = g.OutChannels, cg = g.InChannels / Groups, fg = f / Groups;
            int pixels = g.Rows, p0 = (int)((long)part * pixels / Segments), p1 = (int)((long)(part + 1) * pixels / Segments);
            float* partial = Partials + part * KernelLength;
            new Span<float>(partial, checked((int)KernelLength)).Clear();
            float* expanded = cg == 1 && fg > 1 ? ConvPatches.Buffer(f) : null;
            for (int p = p0; p < p1; p++)
            {
                int ox = p % g.OutWidth, oy = p / g.OutWidth % g.OutHeight, b = p / (g.OutWidth * g.OutHeight);
                var dy = new ReadOnlySpan<float>(Dy + (long)p * f, f);
                for (int ky = 0; ky < g.KernelHeight; ky++)
                {
                    int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                    if ((uint)iy >= (uint)g.InHeight) continue;
                    for (int kx = 0; kx < g.KernelWidth; kx++)
                    {
                        int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                        if ((uint)ix >= (uint)g.InWidth) continue;
                        float* x = X + (((long)b * g.InHeight + iy) * g.InWidth + ix) * g.InChannels;
                        float* dk = partial + (long)(ky * g.KernelWidth + kx) * cg * f;
                        Tap(x, dy, dk, cg, fg, f, expanded);
                    }
                }
            }
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

        /// <summary>dK = Σ partials, in segment order.</summary>
        public void Reduce(float* dk)
        {
            int length = checked((int)KernelLength);
            var total = new Span<float>(dk, length);
            new ReadOnlySpan<float>(Partials, length).CopyTo(total);
            for (int s = 1; s < Segments; s++)
                TensorPrimitives.Add(total, new ReadOnlySpan<float>(Partials + (long)s * length, length), total);
        }
    }
}
