using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SequentialNet.Backends.Cpu;

// Packing: copies a block of op(A) / op(B) into the contiguous micro-panel layouts the kernels stream.
//   Ã: panels of MR = 8 rows; panel q holds rows 8q..8q+7 as [p][8] (8 floats per k step), at Ã + 8q·kc.
//      Rows past the matrix edge are not written (the row-specialized kernels never read them).
//   B̃: panels of NR = 32 columns; panel q holds columns 32q.. as [p][w] at B̃ + 32q·kc, w = 32, or 16
//      for a last panel of at most 16 columns; columns past the edge are zero-filled.
// The transposing cases (A not transposed, B transposed: the forward x·W and the backward dy·Wᵀ) go through
// 8×8 AVX transposes; the others are straight row copies.
internal static unsafe partial class Sgemm
{
    /// <summary>Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into <paramref name="dst"/>.</summary>
    private static void PackA(bool transA, float* a, nint lda, int i0, int mc, int p0, int kc, float* dst)
    {
        for (int ip = 0; ip < mc; ip += MR, dst += MR * kc)
        {
            int h = Math.Min(MR, mc - ip);
            if (!transA)
            {
                // op(A)[i,p] = a[i·lda + p]: rows are contiguous in p, the panel wants 8 rows per p → transpose.
                float* src = a + (i0 + ip) * lda + p0;
                int p = 0;
                if (h == MR && Avx.IsSupported)
                    for (; p <= kc - 8; p += 8) Transpose8x8(src + p, lda, dst + p * MR, MR);
                for (; p < kc; p++)
                    for (int r = 0; r < h; r++) dst[p * MR + r] = src[r * lda + p];
            }
            else
            {
                // op(A)[i,p] = a[p·lda + i]: each k step is h contiguous floats.
                float* src = a + (nint)p0 * lda + i0 + ip;
                if (h == MR && Vector256.IsHardwareAccelerated)
                {
                    for (int p = 0; p < kc; p++) Vector256.Store(Vector256.Load(src + p * lda), dst + p * MR);
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                        for (int r = 0; r < h; r++) dst[p * MR + r] = src[p * lda + r];
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into <paramref name="dst"/>; with <paramref name="edgeOnly"/>, only
    /// the panel narrower than its padded width (the others are read in place).
    /// </summary>
    private static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nc, float* dst, bool edgeOnly)
    {
        for (int jp = 0; jp < nc; jp += NR)
        {
            int w = Math.Min(NR, nc - jp);
            int width = w <= 16 ? 16 : 32;
            if (edgeOnly && w == width) continue;
            float* d = dst + (nint)jp * kc;
            if (!transB)
            {
                // op(B)[p,j] = b[p·ldb + j]: each k step is w contiguous floats.
                float* src = b + (nint)p0 * ldb + j0 + jp;
                if (w == width)
                {
                    for (int p = 0; p < kc; p++) CopyFloats(src + p * ldb, d + p * width, width);
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src + p * ldb, t = d + p * width;
                        int j = 0;
                        for (; j < w; j++) t[j] = s[j];
                        for (; j < width; j++) t[j] = 0f;
                    }
                }
            }
            else
            {
                // op(B)[p,j] = b[j·ldb + p]: rows of b are contiguous in p, the panel wants w columns per p.
                float* src = b + (nint)(j0 + jp) * ldb + p0;
                int p = 0;
                if (w == width && Avx.IsSupported)
                    for (; p <= kc - 8; p += 8)
                        for (int jj = 0; jj < width; jj += 8)
                            Transpose8x8(src + jj * ldb + p, ldb, d + p * width + jj, width);
                for (; p < kc; p++)
                {
                    float* t = d + p * width;
                    int j = 0;
                    for (; j < w; j++) t[j] = src[j * ldb + p];
                    for (; j < width; j++) t[j] = 0f;
                }
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> (a multiple of 16) floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyFloats(float* src, float* dst, int count)
    {
        if (Vector512.IsHardwareAccelerated)
            for (int j = 0; j < count; j += 16) Vector512.Store(Vector512.Load(src + j), dst + j);
        else if (Vector256.IsHardwareAccelerated)
            for (int j = 0; j < count; j += 8) Vector256.Store(Vector256.Load(src + j), dst + j);
        else
            for (int j = 0; j < count; j++) dst[j] = src[j];
    }

    /// <summary>
    /// dst[c·dstStride + r] = src[r·srcStride + c] for an 8×8 block: the classic unpack / shuffle /
    /// permute2f128 transpose (24 shuffles for 64 floats).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * srcStride), r3 = Avx.LoadVector256(src + 3 * srcStride);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * srcStride), r5 = Avx.LoadVector256(src + 5 * srcStride);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * srcStride), r7 = Avx.LoadVector256(src + 7 * srcStride);

        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }
}
