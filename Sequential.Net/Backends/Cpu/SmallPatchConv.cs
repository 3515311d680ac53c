using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static SequentialNet.Backends.Cpu.Sgemm;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// Direct AVX-512 convolution for short patches (k = kh·kw·C ≤ <see cref="MaxPatch"/>, a first layer's 3×3×1 or
/// 3×3×3) and 16, 32 or 64 filters, where gathering a patch matrix for the GEMM costs more than the product
/// (measured on the tutorial CNN's first layer, one thread, 126 images: gather 1.1 ms against 0.5 ms of GEMM).
/// Each pixel reads its k taps straight from the image at offsets fixed per call (zero where a padded tap lies
/// outside it). The forward keeps the GEMM path's arithmetic, one FMA chain per output from 0 in tap order
/// then f(acc + bias), so its bits equal <see cref="Sgemm"/> + <see cref="GemmEpilogue"/>; the kernel gradient
/// runs tap by tap over a block of pixels with the F accumulators of one tap in registers.
/// </summary>
internal static unsafe class SmallPatchConv
{
    /// <summary>The longest patch taken: 32 taps, whose offsets live on the stack.</summary>
    internal const int MaxPatch = 32;

    /// <summary>Whether the direct path takes <paramref name="g"/>.</summary>
    public static bool Applies(in ConvGeometry g)
        => Vector512.IsHardwareAccelerated && g.PatchSize <= MaxPatch && g.OutChannels is 16 or 32 or 64;

    /// <summary>
    /// y(count, F) = relu(P·K + bias) for patch rows [r0, r0 + count). <paramref name="scratch"/>: at least
    /// <see cref="ScratchFloats"/> floats.
    /// </summary>
    public static void ForwardRelu(float* x, in ConvGeometry g, int r0, int count, float* kernel, float* bias, float* y, float* scratch)
    {
        switch (g.OutChannels / 16)
        {
            case 1: Forward<N1>(x, g, r0, count, kernel, bias, y, scratch); break;
            case 2: Forward<N2>(x, g, r0, count, kernel, bias, y, scratch); break;
            default: Forward<N4>(x, g, r0, count, kernel, bias, y, scratch); break;
        }
    }

    /// <summary>
    /// dk(k, F) (+)= Pᵀ·dz for patch rows [r0, r0 + count) of dz(count, F): overwritten when <paramref name="overwrite"/>.
    /// <paramref name="scratch"/>: at least <see cref="ScratchFloats"/> floats.
    /// </summary>
    public static void FilterGradient(float* x, in ConvGeometry g, int r0, int count, float* dz, float* dk, bool overwrite, float* scratch)
    {
        switch (g.OutChannels / 16)
        {
            case 1 when g.PatchSize == 9: Filter9<N1>(x, g, r0, count, dz, dk, overwrite, scratch); break;
            case 2 when g.PatchSize == 9: Filter9<N2>(x, g, r0, count, dz, dk, overwrite, scratch); break;
            case 1: Filter<N1>(x, g, r0, count, dz, dk, overwrite, scratch); break;
            case 2: Filter<N2>(x, g, r0, count, dz, dk, overwrite, scratch); break;
            default: Filter<N4>(x, g, r0, count, dz, dk, overwrite, scratch); break;
        }
    }

    /// <summary>Scratch floats for <paramref name="count"/> rows: an address per row, and the taps of rows whose patch is clipped.</summary>
    public static long ScratchFloats(int count, int patchSize) => (long)count * (patchSize + 2);

    /// <summary>Tap t's offset from a patch's first cell, in (ky, kx, c) order (Keras's kernel row order).</summary>
    private static void TapOffsets(in ConvGeometry g, int* offsets)
    {
        int t = 0;
        for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
                for (int c = 0; c < g.InChannels; c++)
                    offsets[t++] = (ky * g.DilationHeight * g.InWidth + kx * g.DilationWidth) * g.InChannels + c;
    }

    /// <summary>
    /// For each row: the address of its first tap when the whole patch lies inside the image, else 0 and its k
    /// values (zeros for padded taps) in <paramref name="clipped"/> at row·k. Walks (b, oy, ox) without divisions.
    /// </summary>
    private static void LocateRows(float* x, in ConvGeometry g, int r0, int count, nint* origins, float* clipped)
    {
        int pixels = g.OutHeight * g.OutWidth, b = r0 / pixels, oy = r0 % pixels / g.OutWidth, ox = r0 % g.OutWidth, k = g.PatchSize;
        long image = (long)g.InHeight * g.InWidth * g.InChannels;
        int lastY = (g.KernelHeight - 1) * g.DilationHeight, lastX = (g.KernelWidth - 1) * g.DilationWidth;
        for (int i = 0; i < count; i++)
        {
            int y0 = oy * g.StrideHeight - g.PadTop, x0 = ox * g.StrideWidth - g.PadLeft;
            float* img = x + b * image;
            if (y0 >= 0 && x0 >= 0 && y0 + lastY < g.InHeight && x0 + lastX < g.InWidth)
                origins[i] = (nint)(img + ((long)y0 * g.InWidth + x0) * g.InChannels);
            else
            {
                origins[i] = 0;
                float* taps = clipped + (long)i * k;
                for (int ky = 0, t = 0; ky < g.KernelHeight; ky++)
                    for (int kx = 0; kx < g.KernelWidth; kx++)
                    {
                        int iy = y0 + ky * g.DilationHeight, ix = x0 + kx * g.DilationWidth;
                        bool inside = (uint)iy < (uint)g.InHeight && (uint)ix < (uint)g.InWidth;
                        for (int c = 0; c < g.InChannels; c++, t++) taps[t] = inside ? img[((long)iy * g.InWidth + ix) * g.InChannels + c] : 0f;
                    }
            }
            if (++ox == g.OutWidth) { ox = 0; if (++oy == g.OutHeight) { oy = 0; b++; } }
        }
    }

    /// <summary>The tap offsets, and each row's first-tap address or clipped taps (<see cref="LocateRows"/>) in <paramref name="scratch"/>.</summary>
    private static void Prepare(float* x, in ConvGeometry g, int r0, int count, float* scratch, int* offsets, out nint* origins, out float* clipped)
    {
        TapOffsets(g, offsets);
        origins = (nint*)scratch;
        clipped = scratch + 2L * count;
        LocateRows(x, g, r0, count, origins, clipped);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tap(nint* origins, float* clipped, int* offsets, int k, int i, int t)
        => Vector512.Create(origins[i] != 0 ? ((float*)origins[i])[offsets[t]] : clipped[(long)i * k + t]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<TV>(float* x, in ConvGeometry g, int r0, int count, float* kernel, float* bias, float* y, float* scratch) where TV : struct, IConst
    {
        int k = g.PatchSize, n = g.OutChannels;
        int* offsets = stackalloc int[MaxPatch];
        Prepare(x, g, r0, count, scratch, offsets, out nint* origins, out float* clipped);
        int i = 0;
        // Four (16 or 32 filters) or two (64) pixels at a time: independent FMA chains hide the FMA latency; each
        // output is still one chain in tap order.
        if (TV.Value <= 2)
            for (; i + 3 < count; i += 4)
            {
                Vector512<float> a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default, d0 = default, d1 = default;
                float* w = kernel;
                for (int t = 0; t < k; t++, w += n)
                {
                    Vector512<float> u = Tap(origins, clipped, offsets, k, i, t), v = Tap(origins, clipped, offsets, k, i + 1, t);
                    Vector512<float> q = Tap(origins, clipped, offsets, k, i + 2, t), r = Tap(origins, clipped, offsets, k, i + 3, t);
                    Vector512<float> w0 = Vector512.Load(w);
                    a0 = Vector512.FusedMultiplyAdd(u, w0, a0); b0 = Vector512.FusedMultiplyAdd(v, w0, b0);
                    c0 = Vector512.FusedMultiplyAdd(q, w0, c0); d0 = Vector512.FusedMultiplyAdd(r, w0, d0);
                    if (TV.Value > 1)
                    {
                        Vector512<float> w1 = Vector512.Load(w + 16);
                        a1 = Vector512.FusedMultiplyAdd(u, w1, a1); b1 = Vector512.FusedMultiplyAdd(v, w1, b1);
                        c1 = Vector512.FusedMultiplyAdd(q, w1, c1); d1 = Vector512.FusedMultiplyAdd(r, w1, d1);
                    }
                }
                Store<TV>(y + (long)i * n, bias, a0, a1, default, default);
                Store<TV>(y + (long)(i + 1) * n, bias, b0, b1, default, default);
                Store<TV>(y + (long)(i + 2) * n, bias, c0, c1, default, default);
                Store<TV>(y + (long)(i + 3) * n, bias, d0, d1, default, default);
            }
        for (; i + 1 < count; i += 2)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            float* w = kernel;
            for (int t = 0; t < k; t++, w += n)
            {
                Vector512<float> u = Tap(origins, clipped, offsets, k, i, t), v = Tap(origins, clipped, offsets, k, i + 1, t);
                Vector512<float> w0 = Vector512.Load(w);
                a0 = Vector512.FusedMultiplyAdd(u, w0, a0); b0 = Vector512.FusedMultiplyAdd(v, w0, b0);
                if (TV.Value > 1) { Vector512<float> w1 = Vector512.Load(w + 16); a1 = Vector512.FusedMultiplyAdd(u, w1, a1); b1 = Vector512.FusedMultiplyAdd(v, w1, b1); }
                if (TV.Value > 2)
                {
                    Vector512<float> w2 = Vector512.Load(w + 32), w3 = Vector512.Load(w + 48);
                    a2 = Vector512.FusedMultiplyAdd(u, w2, a2); b2 = Vector512.FusedMultiplyAdd(v, w2, b2);
                    a3 = Vector512.FusedMultiplyAdd(u, w3, a3); b3 = Vector512.FusedMultiplyAdd(v, w3, b3);
                }
            }
            Store<TV>(y + (long)i * n, bias, a0, a1, a2, a3);
            Store<TV>(y + (long)(i + 1) * n, bias, b0, b1, b2, b3);
        }
        for (; i < count; i++)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* w = kernel;
            for (int t = 0; t < k; t++, w += n)
            {
                Vector512<float> u = Tap(origins, clipped, offsets, k, i, t);
                a0 = Vector512.FusedMultiplyAdd(u, Vector512.Load(w), a0);
                if (TV.Value > 1) a1 = Vector512.FusedMultiplyAdd(u, Vector512.Load(w + 16), a1);
                if (TV.Value > 2) { a2 = Vector512.FusedMultiplyAdd(u, Vector512.Load(w + 32), a2); a3 = Vector512.FusedMultiplyAdd(u, Vector512.Load(w + 48), a3); }
            }
            Store<TV>(y + (long)i * n, bias, a0, a1, a2, a3);
        }
    }

    /// <summary>
    /// Whether <see cref="ForwardReluMaxPool2x2"/> takes the convolution <paramref name="g"/> pooled by
    /// <paramref name="p"/>: the direct path with 16 or 32 filters, every patch inside the image (no padding), and
    /// 2×2 windows at stride 2 that tile the output exactly.
    /// </summary>
    public static bool PoolFuses(in ConvGeometry g, in PoolGeometry p)
        => Applies(g) && g.OutChannels <= 32 && g.PadTop == 0 && g.PadLeft == 0
           && (g.OutHeight - 1) * g.StrideHeight + (g.KernelHeight - 1) * g.DilationHeight < g.InHeight
           && (g.OutWidth - 1) * g.StrideWidth + (g.KernelWidth - 1) * g.DilationWidth < g.InWidth
           && p.PoolHeight == 2 && p.PoolWidth == 2 && p.StrideHeight == 2 && p.StrideWidth == 2 && p.PadTop == 0 && p.PadLeft == 0
           && g.OutHeight == 2 * p.OutHeight && g.OutWidth == 2 * p.OutWidth;

    /// <summary>
    /// y = max_pool_2×2(relu(conv(x) + bias)) for images [b0, b0 + count) (<see cref="PoolFuses"/> must hold): a
    /// window's four pixels are convolved together in registers and pooled there, so the convolution's output is
    /// never stored. The same bits as <see cref="ForwardRelu"/> then the pooling (cells compared in row order).
    /// </summary>
    public static void ForwardReluMaxPool2x2(float* x, in ConvGeometry g, in PoolGeometry p, int b0, int count, float* kernel, float* bias, float* y)
    {
        if (g.OutChannels == 16) PoolFused<N1>(x, g, p, b0, count, kernel, bias, y);
        else PoolFused<N2>(x, g, p, b0, count, kernel, bias, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PoolFused<TV>(float* x, in ConvGeometry g, in PoolGeometry p, int b0, int count, float* kernel, float* bias, float* y) where TV : struct, IConst
    {
        int* o = stackalloc int[MaxPatch];
        TapOffsets(g, o);
        int n = g.OutChannels;
        float* pooled = y + (long)b0 * p.OutHeight * p.OutWidth * n;
        for (int b = b0; b < b0 + count; b++)
            for (int py = 0; py < p.OutHeight; py++)
                for (int px = 0; px < p.OutWidth; px++, pooled += n)
                {
                    var w = Window<TV>(x, g, o, b, py, px, kernel);
                    Vector512.Store(MaxOfFour(w.A0, w.B0, w.C0, w.D0, Vector512.Load(bias)), pooled);
                    if (TV.Value > 1) Vector512.Store(MaxOfFour(w.A1, w.B1, w.C1, w.D1, Vector512.Load(bias + 16)), pooled + 16);
                }
    }

    /// <summary>
    /// dz (count·OutHeight·OutWidth, F) of images [b0, b0 + count) given dy (count, pooled h, pooled w, F) of the
    /// pooled output (<see cref="PoolFuses"/> must hold): each window's four pixels are recomputed in registers,
    /// dy times ReLU's derivative at the maximum goes to the first cell holding it and 0 to the others. The same
    /// bits as <see cref="ForwardRelu"/> then <see cref="PoolKind.MaxAfterRelu"/>'s backward.
    /// </summary>
    public static void BackwardReluMaxPool2x2(float* x, in ConvGeometry g, in PoolGeometry p, int b0, int count, float* kernel, float* bias, float* dy, float* dz)
    {
        if (g.OutChannels == 16) PoolFusedBackward<N1>(x, g, p, b0, count, kernel, bias, dy, dz);
        else PoolFusedBackward<N2>(x, g, p, b0, count, kernel, bias, dy, dz);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PoolFusedBackward<TV>(float* x, in ConvGeometry g, in PoolGeometry p, int b0, int count, float* kernel, float* bias, float* dy, float* dz) where TV : struct, IConst
    {
        int* o = stackalloc int[MaxPatch];
        TapOffsets(g, o);
        int n = g.OutChannels;
        long rowStride = (long)g.OutWidth * n;   // dz: one image's rows of OutWidth pixels
        for (int b = 0; b < count; b++)
            for (int py = 0; py < p.OutHeight; py++)
                for (int px = 0; px < p.OutWidth; px++, dy += n)
                {
                    var w = Window<TV>(x, g, o, b0 + b, py, px, kernel);
                    float* cell = dz + ((long)b * g.OutHeight * g.OutWidth + (long)2 * py * g.OutWidth + 2 * px) * n;
                    RouteFour(w.A0, w.B0, w.C0, w.D0, Vector512.Load(bias), Vector512.Load(dy), cell, cell + n, cell + rowStride, cell + rowStride + n);
                    if (TV.Value > 1)
                        RouteFour(w.A1, w.B1, w.C1, w.D1, Vector512.Load(bias + 16), Vector512.Load(dy + 16), cell + 16, cell + n + 16, cell + rowStride + 16, cell + rowStride + n + 16);
                }
    }

    /// <summary>The accumulators of a 2×2 window's four cells (A: (0, 0), B: (0, 1), C: (1, 0), D: (1, 1)), 16 filters each in *0 and *1.</summary>
    private struct WindowSums
    {
        public Vector512<float> A0, A1, B0, B1, C0, C1, D0, D1;
    }

    /// <summary>The FMA chains (from 0, in tap order) of window (py, px) of image b's convolution output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static WindowSums Window<TV>(float* x, in ConvGeometry g, int* o, int b, int py, int px, float* kernel) where TV : struct, IConst
    {
        int k = g.PatchSize, n = g.OutChannels, c = g.InChannels;
        // The window's cells (2py, 2px), (2py, 2px + 1), (2py + 1, 2px), (2py + 1, 2px + 1): their patches' first taps.
        float* c00 = x + (long)b * g.InHeight * g.InWidth * c + ((long)2 * py * g.StrideHeight * g.InWidth + (long)2 * px * g.StrideWidth) * c;
        float* c01 = c00 + (long)g.StrideWidth * c, c10 = c00 + (long)g.StrideHeight * g.InWidth * c, c11 = c10 + (long)g.StrideWidth * c;
        WindowSums s = default;
        float* w = kernel;
        for (int t = 0; t < k; t++, w += n)
        {
            int off = o[t];
            Vector512<float> u = Vector512.Create(c00[off]), v = Vector512.Create(c01[off]), q = Vector512.Create(c10[off]), r = Vector512.Create(c11[off]);
            Vector512<float> w0 = Vector512.Load(w);
            s.A0 = Vector512.FusedMultiplyAdd(u, w0, s.A0); s.B0 = Vector512.FusedMultiplyAdd(v, w0, s.B0);
            s.C0 = Vector512.FusedMultiplyAdd(q, w0, s.C0); s.D0 = Vector512.FusedMultiplyAdd(r, w0, s.D0);
            if (TV.Value > 1)
            {
                Vector512<float> w1 = Vector512.Load(w + 16);
                s.A1 = Vector512.FusedMultiplyAdd(u, w1, s.A1); s.B1 = Vector512.FusedMultiplyAdd(v, w1, s.B1);
                s.C1 = Vector512.FusedMultiplyAdd(q, w1, s.C1); s.D1 = Vector512.FusedMultiplyAdd(r, w1, s.D1);
            }
        }
        return s;
    }

    /// <summary>
    /// dy · relu'(max) to the first of the four cells holding the maximum of relu(acc + bias), 0 to the others, as
    /// the pooling's write-once backward does (a later cell wins only when greater).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RouteFour(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, Vector512<float> bias, Vector512<float> dy,
        float* at0, float* at1, float* at2, float* at3)
    {
        Vector512<float> best = Vector512.Max(a + bias, Vector512<float>.Zero);
        Vector512<int> which = Vector512<int>.Zero;
        Vector512<float> v = Vector512.Max(b + bias, Vector512<float>.Zero), wins = Vector512.GreaterThan(v, best);
        best = Vector512.ConditionalSelect(wins, v, best); which = Vector512.ConditionalSelect(wins.AsInt32(), Vector512.Create(1), which);
        v = Vector512.Max(c + bias, Vector512<float>.Zero); wins = Vector512.GreaterThan(v, best);
        best = Vector512.ConditionalSelect(wins, v, best); which = Vector512.ConditionalSelect(wins.AsInt32(), Vector512.Create(2), which);
        v = Vector512.Max(d + bias, Vector512<float>.Zero); wins = Vector512.GreaterThan(v, best);
        best = Vector512.ConditionalSelect(wins, v, best); which = Vector512.ConditionalSelect(wins.AsInt32(), Vector512.Create(3), which);
        Vector512<float> grad = dy * Vector512.ConditionalSelect(Vector512.GreaterThan(best, Vector512<float>.Zero), Vector512<float>.One, Vector512<float>.Zero);
        Vector512.Store(Vector512.BitwiseAnd(Vector512.Equals(which, Vector512<int>.Zero).AsSingle(), grad), at0);
        Vector512.Store(Vector512.BitwiseAnd(Vector512.Equals(which, Vector512.Create(1)).AsSingle(), grad), at1);
        Vector512.Store(Vector512.BitwiseAnd(Vector512.Equals(which, Vector512.Create(2)).AsSingle(), grad), at2);
        Vector512.Store(Vector512.BitwiseAnd(Vector512.Equals(which, Vector512.Create(3)).AsSingle(), grad), at3);
    }

    /// <summary>The pooled maximum of four cells' relu(acc + bias), compared as the pooling kernel does (a later cell wins only when greater).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> MaxOfFour(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, Vector512<float> bias)
    {
        Vector512<float> m = Vector512.Max(a + bias, Vector512<float>.Zero);
        Vector512<float> v = Vector512.Max(b + bias, Vector512<float>.Zero);
        m = Vector512.ConditionalSelect(Vector512.GreaterThan(v, m), v, m);
        v = Vector512.Max(c + bias, Vector512<float>.Zero);
        m = Vector512.ConditionalSelect(Vector512.GreaterThan(v, m), v, m);
        v = Vector512.Max(d + bias, Vector512<float>.Zero);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(v, m), v, m);
    }

    /// <summary>y = relu(acc + bias), as the GEMM stores alpha·acc (alpha = 1) and the epilogue then applies f(c + bias).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TV>(float* y, float* bias, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3) where TV : struct, IConst
    {
        Vector512.Store(Vector512.Max(a0 + Vector512.Load(bias), Vector512<float>.Zero), y);
        if (TV.Value > 1) Vector512.Store(Vector512.Max(a1 + Vector512.Load(bias + 16), Vector512<float>.Zero), y + 16);
        if (TV.Value > 2)
        {
            Vector512.Store(Vector512.Max(a2 + Vector512.Load(bias + 32), Vector512<float>.Zero), y + 32);
            Vector512.Store(Vector512.Max(a3 + Vector512.Load(bias + 48), Vector512<float>.Zero), y + 48);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Filter<TV>(float* x, in ConvGeometry g, int r0, int count, float* dz, float* dk, bool overwrite, float* scratch) where TV : struct, IConst
    {
        int k = g.PatchSize, n = g.OutChannels;
        int* offsets = stackalloc int[MaxPatch];
        Prepare(x, g, r0, count, scratch, offsets, out nint* origins, out float* clipped);
        int even = count & ~1;
        for (int t = 0; t < k; t++)
        {
            // Even and odd rows in two sets of accumulators (independent chains), added at the end: a fixed order.
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            float* row = dz;
            for (int i = 0; i < even; i += 2, row += 2 * n)
            {
                Vector512<float> u = Tap(origins, clipped, offsets, k, i, t), v = Tap(origins, clipped, offsets, k, i + 1, t);
                a0 = Vector512.FusedMultiplyAdd(u, Vector512.Load(row), a0); b0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(row + n), b0);
                if (TV.Value > 1) { a1 = Vector512.FusedMultiplyAdd(u, Vector512.Load(row + 16), a1); b1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(row + n + 16), b1); }
                if (TV.Value > 2)
                {
                    a2 = Vector512.FusedMultiplyAdd(u, Vector512.Load(row + 32), a2); b2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(row + n + 32), b2);
                    a3 = Vector512.FusedMultiplyAdd(u, Vector512.Load(row + 48), a3); b3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(row + n + 48), b3);
                }
            }
            if (even < count)
            {
                Vector512<float> u = Tap(origins, clipped, offsets, k, even, t);
                a0 = Vector512.FusedMultiplyAdd(u, Vector512.Load(row), a0);
                if (TV.Value > 1) a1 = Vector512.FusedMultiplyAdd(u, Vector512.Load(row + 16), a1);
                if (TV.Value > 2) { a2 = Vector512.FusedMultiplyAdd(u, Vector512.Load(row + 32), a2); a3 = Vector512.FusedMultiplyAdd(u, Vector512.Load(row + 48), a3); }
            }
            float* d = dk + (long)t * n;
            Accumulate(d, a0 + b0, overwrite);
            if (TV.Value > 1) Accumulate(d + 16, a1 + b1, overwrite);
            if (TV.Value > 2) { Accumulate(d + 32, a2 + b2, overwrite); Accumulate(d + 48, a3 + b3, overwrite); }
        }
    }

    /// <summary>
    /// The kernel gradient of a 9-tap patch (3×3 on one channel, the grayscale first layer) with 16 or 32 filters:
    /// pixel by pixel with all 9·F/16 accumulators in registers (at most 18 of the 32 zmm), so each pixel costs its
    /// 9·F/16 FMAs and one read of its dz row. Each dK element is one chain over the rows in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Filter9<TV>(float* x, in ConvGeometry g, int r0, int count, float* dz, float* dk, bool overwrite, float* scratch) where TV : struct, IConst
    {
        int n = g.OutChannels;
        int* o = stackalloc int[MaxPatch];
        Prepare(x, g, r0, count, scratch, o, out nint* origins, out float* clipped);
        int o0 = o[0], o1 = o[1], o2 = o[2], o3 = o[3], o4 = o[4], o5 = o[5], o6 = o[6], o7 = o[7], o8 = o[8];
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default, a8 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default, b8 = default;
        float* row = dz;
        for (int i = 0; i < count; i++, row += n)
        {
            float v0, v1, v2, v3, v4, v5, v6, v7, v8;
            float* p = (float*)origins[i];
            if (p != null) { v0 = p[o0]; v1 = p[o1]; v2 = p[o2]; v3 = p[o3]; v4 = p[o4]; v5 = p[o5]; v6 = p[o6]; v7 = p[o7]; v8 = p[o8]; }
            else   // a clipped patch: its 9 values, zeros for the padded taps
            {
                p = clipped + (long)i * 9;
                v0 = p[0]; v1 = p[1]; v2 = p[2]; v3 = p[3]; v4 = p[4]; v5 = p[5]; v6 = p[6]; v7 = p[7]; v8 = p[8];
            }
            Vector512<float> d = Vector512.Load(row);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Create(v0), d, a0); a1 = Vector512.FusedMultiplyAdd(Vector512.Create(v1), d, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Create(v2), d, a2); a3 = Vector512.FusedMultiplyAdd(Vector512.Create(v3), d, a3);
            a4 = Vector512.FusedMultiplyAdd(Vector512.Create(v4), d, a4); a5 = Vector512.FusedMultiplyAdd(Vector512.Create(v5), d, a5);
            a6 = Vector512.FusedMultiplyAdd(Vector512.Create(v6), d, a6); a7 = Vector512.FusedMultiplyAdd(Vector512.Create(v7), d, a7);
            a8 = Vector512.FusedMultiplyAdd(Vector512.Create(v8), d, a8);
            if (TV.Value > 1)
            {
                Vector512<float> e = Vector512.Load(row + 16);
                b0 = Vector512.FusedMultiplyAdd(Vector512.Create(v0), e, b0); b1 = Vector512.FusedMultiplyAdd(Vector512.Create(v1), e, b1);
                b2 = Vector512.FusedMultiplyAdd(Vector512.Create(v2), e, b2); b3 = Vector512.FusedMultiplyAdd(Vector512.Create(v3), e, b3);
                b4 = Vector512.FusedMultiplyAdd(Vector512.Create(v4), e, b4); b5 = Vector512.FusedMultiplyAdd(Vector512.Create(v5), e, b5);
                b6 = Vector512.FusedMultiplyAdd(Vector512.Create(v6), e, b6); b7 = Vector512.FusedMultiplyAdd(Vector512.Create(v7), e, b7);
                b8 = Vector512.FusedMultiplyAdd(Vector512.Create(v8), e, b8);
            }
        }
        Accumulate(dk, a0, overwrite); Accumulate(dk + n, a1, overwrite); Accumulate(dk + 2 * n, a2, overwrite);
        Accumulate(dk + 3 * n, a3, overwrite); Accumulate(dk + 4 * n, a4, overwrite); Accumulate(dk + 5 * n, a5, overwrite);
        Accumulate(dk + 6 * n, a6, overwrite); Accumulate(dk + 7 * n, a7, overwrite); Accumulate(dk + 8 * n, a8, overwrite);
        if (TV.Value > 1)
        {
            Accumulate(dk + 16, b0, overwrite); Accumulate(dk + n + 16, b1, overwrite); Accumulate(dk + 2 * n + 16, b2, overwrite);
            Accumulate(dk + 3 * n + 16, b3, overwrite); Accumulate(dk + 4 * n + 16, b4, overwrite); Accumulate(dk + 5 * n + 16, b5, overwrite);
            Accumulate(dk + 6 * n + 16, b6, overwrite); Accumulate(dk + 7 * n + 16, b7, overwrite); Accumulate(dk + 8 * n + 16, b8, overwrite);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(float* d, Vector512<float> sum, bool overwrite) => Vector512.Store(overwrite ? sum : Vector512.Load(d) + sum, d);
}
