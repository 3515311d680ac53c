using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

// Register-blocked micro-kernels: C tile (rows × 16·cols) = alpha·Ã·B̃ (+ beta·C) over one k-block.
// Ã is either a packed micro-panel (MR = 8 floats per k step; rows >= TRows are never read) or, in the
// "direct" kernels, up to 8 rows of the original A read in place (row stride lda). B̃ is read with a
// runtime stride per k step: 16 or 32 for packed panels, ldb when B is read in place.
// Each C element is one FMA chain in k order, acc = fma(ã[p], b̃[p], acc), identical in the AVX-512, AVX2
// and scalar kernels, so results do not depend on the path, the tile position or the thread partition
// (only on the k-blocking, which depends on k alone). Row and column counts are struct type arguments, so
// the JIT specializes each (rows, cols) variant and drops the unused accumulators: edge tiles cost only
// what they compute.
internal static unsafe partial class Sgemm
{
    /// <summary>A compile-time integer for specializing kernels on tile size.</summary>
    internal interface IConst
    {
        static abstract int Value { get; }
    }

    internal readonly struct N1 : IConst { public static int Value => 1; }
    internal readonly struct N2 : IConst { public static int Value => 2; }
    internal readonly struct N3 : IConst { public static int Value => 3; }
    internal readonly struct N4 : IConst { public static int Value => 4; }
    internal readonly struct N5 : IConst { public static int Value => 5; }
    internal readonly struct N6 : IConst { public static int Value => 6; }
    internal readonly struct N7 : IConst { public static int Value => 7; }
    internal readonly struct N8 : IConst { public static int Value => 8; }

    /// <summary>
    /// AVX-512 kernel over a packed Ã: up to 8 rows × 32 columns = 16 zmm accumulators + 2 B vectors + 1
    /// broadcast (of 32 registers). Per k step: 2 loads of B̃, 8 broadcasts of Ã, 16 FMAs; Zen 4 retires one
    /// 512-bit FMA per cycle, so the loop is FMA-bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512<TRows, TCols>(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IConst where TCols : struct, IConst
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = TCols.Value > 1 ? Vector512.Load(b + 16) : default;
            { Vector512<float> ar = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(ar, b0, c00); if (TCols.Value > 1) c01 = Vector512.FusedMultiplyAdd(ar, b1, c01); }
            if (TRows.Value > 1) { Vector512<float> ar = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(ar, b0, c10); if (TCols.Value > 1) c11 = Vector512.FusedMultiplyAdd(ar, b1, c11); }
            if (TRows.Value > 2) { Vector512<float> ar = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(ar, b0, c20); if (TCols.Value > 1) c21 = Vector512.FusedMultiplyAdd(ar, b1, c21); }
            if (TRows.Value > 3) { Vector512<float> ar = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(ar, b0, c30); if (TCols.Value > 1) c31 = Vector512.FusedMultiplyAdd(ar, b1, c31); }
            if (TRows.Value > 4) { Vector512<float> ar = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(ar, b0, c40); if (TCols.Value > 1) c41 = Vector512.FusedMultiplyAdd(ar, b1, c41); }
            if (TRows.Value > 5) { Vector512<float> ar = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(ar, b0, c50); if (TCols.Value > 1) c51 = Vector512.FusedMultiplyAdd(ar, b1, c51); }
            if (TRows.Value > 6) { Vector512<float> ar = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(ar, b0, c60); if (TCols.Value > 1) c61 = Vector512.FusedMultiplyAdd(ar, b1, c61); }
            if (TRows.Value > 7) { Vector512<float> ar = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(ar, b0, c70); if (TCols.Value > 1) c71 = Vector512.FusedMultiplyAdd(ar, b1, c71); }
            a += MR;
            b += bStride;
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        int mode = beta == 0f ? 0 : beta == 1f ? 1 : 2;
        { StoreRow512(c00, c + 0 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c01, c + 0 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 1) { StoreRow512(c10, c + 1 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c11, c + 1 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 2) { StoreRow512(c20, c + 2 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c21, c + 2 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 3) { StoreRow512(c30, c + 3 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c31, c + 3 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 4) { StoreRow512(c40, c + 4 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c41, c + 4 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 5) { StoreRow512(c50, c + 5 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c51, c + 5 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 6) { StoreRow512(c60, c + 6 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c61, c + 6 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 7) { StoreRow512(c70, c + 7 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c71, c + 7 * ldc + 16, va, vb, mode); }
    }

    /// <summary>
    /// AVX-512 kernel reading up to 8 rows of A in place (row r at a + r·lda): no Ã packing, for A not
    /// transposed (the forward x·W). Same register tile and FMA order as <see cref="Kernel512{TRows, TCols}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512Direct<TRows, TCols>(int kc, float* a, nint lda, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IConst where TCols : struct, IConst
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        float* a0 = a;
        float* a1 = TRows.Value > 1 ? a + 1 * lda : a;
        float* a2 = TRows.Value > 2 ? a + 2 * lda : a;
        float* a3 = TRows.Value > 3 ? a + 3 * lda : a;
        float* a4 = TRows.Value > 4 ? a + 4 * lda : a;
        float* a5 = TRows.Value > 5 ? a + 5 * lda : a;
        float* a6 = TRows.Value > 6 ? a + 6 * lda : a;
        float* a7 = TRows.Value > 7 ? a + 7 * lda : a;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = TCols.Value > 1 ? Vector512.Load(b + 16) : default;
            { Vector512<float> ar = Vector512.Create(a0[p]); c00 = Vector512.FusedMultiplyAdd(ar, b0, c00); if (TCols.Value > 1) c01 = Vector512.FusedMultiplyAdd(ar, b1, c01); }
            if (TRows.Value > 1) { Vector512<float> ar = Vector512.Create(a1[p]); c10 = Vector512.FusedMultiplyAdd(ar, b0, c10); if (TCols.Value > 1) c11 = Vector512.FusedMultiplyAdd(ar, b1, c11); }
            if (TRows.Value > 2) { Vector512<float> ar = Vector512.Create(a2[p]); c20 = Vector512.FusedMultiplyAdd(ar, b0, c20); if (TCols.Value > 1) c21 = Vector512.FusedMultiplyAdd(ar, b1, c21); }
            if (TRows.Value > 3) { Vector512<float> ar = Vector512.Create(a3[p]); c30 = Vector512.FusedMultiplyAdd(ar, b0, c30); if (TCols.Value > 1) c31 = Vector512.FusedMultiplyAdd(ar, b1, c31); }
            if (TRows.Value > 4) { Vector512<float> ar = Vector512.Create(a4[p]); c40 = Vector512.FusedMultiplyAdd(ar, b0, c40); if (TCols.Value > 1) c41 = Vector512.FusedMultiplyAdd(ar, b1, c41); }
            if (TRows.Value > 5) { Vector512<float> ar = Vector512.Create(a5[p]); c50 = Vector512.FusedMultiplyAdd(ar, b0, c50); if (TCols.Value > 1) c51 = Vector512.FusedMultiplyAdd(ar, b1, c51); }
            if (TRows.Value > 6) { Vector512<float> ar = Vector512.Create(a6[p]); c60 = Vector512.FusedMultiplyAdd(ar, b0, c60); if (TCols.Value > 1) c61 = Vector512.FusedMultiplyAdd(ar, b1, c61); }
            if (TRows.Value > 7) { Vector512<float> ar = Vector512.Create(a7[p]); c70 = Vector512.FusedMultiplyAdd(ar, b0, c70); if (TCols.Value > 1) c71 = Vector512.FusedMultiplyAdd(ar, b1, c71); }
            b += bStride;
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        int mode = beta == 0f ? 0 : beta == 1f ? 1 : 2;
        { StoreRow512(c00, c + 0 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c01, c + 0 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 1) { StoreRow512(c10, c + 1 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c11, c + 1 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 2) { StoreRow512(c20, c + 2 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c21, c + 2 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 3) { StoreRow512(c30, c + 3 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c31, c + 3 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 4) { StoreRow512(c40, c + 4 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c41, c + 4 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 5) { StoreRow512(c50, c + 5 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c51, c + 5 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 6) { StoreRow512(c60, c + 6 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c61, c + 6 * ldc + 16, va, vb, mode); }
        if (TRows.Value > 7) { StoreRow512(c70, c + 7 * ldc, va, vb, mode); if (TCols.Value > 1) StoreRow512(c71, c + 7 * ldc + 16, va, vb, mode); }
    }

    // C = alpha·acc (mode 0, C never read), C + alpha·acc (mode 1), alpha·acc + beta·C (mode 2). Not fused, so
    // the edge-tile merge (scalar, same formulas) gives bitwise the same values.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow512(Vector512<float> acc, float* dst, Vector512<float> va, Vector512<float> vb, int mode)
    {
        Vector512<float> t = va * acc;
        if (mode == 0) Vector512.Store(t, dst);
        else if (mode == 1) Vector512.Store(Vector512.Load(dst) + t, dst);
        else Vector512.Store(t + vb * Vector512.Load(dst), dst);
    }

    /// <summary>
    /// AVX2 kernel (machines without AVX-512 have 16 ymm registers): up to 4 rows × 16 columns = 8 ymm
    /// accumulators over a packed Ã, run on sub-tiles of the 8 × 32 tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256<TRows>(int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IConst
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            { Vector256<float> ar = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(ar, b0, c00); c01 = Vector256.FusedMultiplyAdd(ar, b1, c01); }
            if (TRows.Value > 1) { Vector256<float> ar = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(ar, b0, c10); c11 = Vector256.FusedMultiplyAdd(ar, b1, c11); }
            if (TRows.Value > 2) { Vector256<float> ar = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(ar, b0, c20); c21 = Vector256.FusedMultiplyAdd(ar, b1, c21); }
            if (TRows.Value > 3) { Vector256<float> ar = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(ar, b0, c30); c31 = Vector256.FusedMultiplyAdd(ar, b1, c31); }
            a += MR;
            b += bStride;
        }
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        int mode = beta == 0f ? 0 : beta == 1f ? 1 : 2;
        { StoreRow256(c00, c + 0 * ldc, va, vb, mode); StoreRow256(c01, c + 0 * ldc + 8, va, vb, mode); }
        if (TRows.Value > 1) { StoreRow256(c10, c + 1 * ldc, va, vb, mode); StoreRow256(c11, c + 1 * ldc + 8, va, vb, mode); }
        if (TRows.Value > 2) { StoreRow256(c20, c + 2 * ldc, va, vb, mode); StoreRow256(c21, c + 2 * ldc + 8, va, vb, mode); }
        if (TRows.Value > 3) { StoreRow256(c30, c + 3 * ldc, va, vb, mode); StoreRow256(c31, c + 3 * ldc + 8, va, vb, mode); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow256(Vector256<float> acc, float* dst, Vector256<float> va, Vector256<float> vb, int mode)
    {
        Vector256<float> t = va * acc;
        if (mode == 0) Vector256.Store(t, dst);
        else if (mode == 1) Vector256.Store(Vector256.Load(dst) + t, dst);
        else Vector256.Store(t + vb * Vector256.Load(dst), dst);
    }

    /// <summary>Scalar kernel (no SIMD) over a packed Ã: the same FMA chain per element, into a rows × cols tile.</summary>
    private static void KernelScalar(int rows, int cols, int kc, float* a, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        float* acc = stackalloc float[MR * NR];
        new Span<float>(acc, MR * NR).Clear();
        for (int p = 0; p < kc; p++, a += MR, b += bStride)
            for (int r = 0; r < rows; r++)
            {
                float ar = a[r];
                float* accRow = acc + r * NR;
                for (int j = 0; j < cols; j++) accRow[j] = MathF.FusedMultiplyAdd(ar, b[j], accRow[j]);
            }
        for (int r = 0; r < rows; r++) MergeRow(acc + r * NR, alpha, 1, c + r * ldc, cols, beta);
    }

    /// <summary>
    /// Runs the kernel for a rows × width tile (width 16 or 32) on the best available path. A is a packed panel
    /// when <paramref name="lda"/> is 0, else rows read in place with that stride (AVX-512 only).
    /// </summary>
    private static void TileSimd(int rows, int width, int kc, float* a, nint lda, float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            if (lda != 0)
            {
                if (width == 32)
                {
                    switch (rows)
                    {
                        case 8: Kernel512Direct<N8, N2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 7: Kernel512Direct<N7, N2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 6: Kernel512Direct<N6, N2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 5: Kernel512Direct<N5, N2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 4: Kernel512Direct<N4, N2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 3: Kernel512Direct<N3, N2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 2: Kernel512Direct<N2, N2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 1: Kernel512Direct<N1, N2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                    }
                }
                else
                {
                    switch (rows)
                    {
                        case 8: Kernel512Direct<N8, N1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 7: Kernel512Direct<N7, N1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 6: Kernel512Direct<N6, N1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 5: Kernel512Direct<N5, N1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 4: Kernel512Direct<N4, N1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 3: Kernel512Direct<N3, N1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 2: Kernel512Direct<N2, N1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                        case 1: Kernel512Direct<N1, N1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); return;
                    }
                }
                return;
            }
            if (width == 32)
            {
                switch (rows)
                {
                    case 8: Kernel512<N8, N2>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 7: Kernel512<N7, N2>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 6: Kernel512<N6, N2>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 5: Kernel512<N5, N2>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 4: Kernel512<N4, N2>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 3: Kernel512<N3, N2>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 2: Kernel512<N2, N2>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 1: Kernel512<N1, N2>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                }
            }
            else
            {
                switch (rows)
                {
                    case 8: Kernel512<N8, N1>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 7: Kernel512<N7, N1>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 6: Kernel512<N6, N1>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 5: Kernel512<N5, N1>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 4: Kernel512<N4, N1>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 3: Kernel512<N3, N1>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 2: Kernel512<N2, N1>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                    case 1: Kernel512<N1, N1>(kc, a, b, bStride, c, ldc, alpha, beta); return;
                }
            }
            return;
        }
        if (!Vector256.IsHardwareAccelerated)
        {
            KernelScalar(rows, width, kc, a, b, bStride, c, ldc, alpha, beta);
            return;
        }
        // AVX2: rows 0–3 and 4–7 in two passes, columns in 16-wide halves.
        for (int r0 = 0; r0 < rows; r0 += 4)
        {
            int rs = Math.Min(4, rows - r0);
            for (int j0 = 0; j0 < width; j0 += 16)
            {
                float* ar = a + r0, br = b + j0, cr = c + r0 * ldc + j0;
                switch (rs)
                {
                    case 4: Kernel256<N4>(kc, ar, br, bStride, cr, ldc, alpha, beta); break;
                    case 3: Kernel256<N3>(kc, ar, br, bStride, cr, ldc, alpha, beta); break;
                    case 2: Kernel256<N2>(kc, ar, br, bStride, cr, ldc, alpha, beta); break;
                    case 1: Kernel256<N1>(kc, ar, br, bStride, cr, ldc, alpha, beta); break;
                }
            }
        }
    }
}
