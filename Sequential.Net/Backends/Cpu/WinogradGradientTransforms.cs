using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The two transforms of the Winograd F(2×2, 3×3) kernel gradient (<see cref="WinogradFilterJob"/>). The forward
/// computes Y = Aᵀ[U ⊙ V]A with U = G g Gᵀ and V = Bᵀ d B (<see cref="WinogradTransforms"/>), linear in g, so
/// <code>
/// dU = (A dY Aᵀ) ⊙ V summed over tiles and input pixels' channels,   dg = Gᵀ dU G
/// </code>
/// with dY the 2×2 output-gradient tile (zero for pixels past the output's edge). Both transforms here use
/// S = diag(1, 1, 1, −1) to avoid negations: dM' = S (A dY Aᵀ) S = A' dY A'ᵀ with A' = [1 0; 1 1; 1 −1; 0 1], and
/// since dU is linear in dM the GEMMs give dU' = S dU S, so dg = (S G)ᵀ dU' (S G) with S G = G with its last row
/// negated. Each element is a fixed sequence of adds and exact halvings, so results do not depend on how tiles are
/// grouped into blocks nor on the vector width.
/// </summary>
internal static unsafe class WinogradGradientTransforms
{
    /// <summary>
    /// dM'(16, count, K) = A' dY A'ᵀ for the output-gradient tiles [t0, t0 + count) of <paramref name="dy"/>
    /// (Batch, OutHeight, OutWidth, K), element (ξ, i, ch) at dm + ξ·<paramref name="plane"/> +
    /// i·<paramref name="tileStride"/> + ch: dM'[ξ] is the (count × K) B operand of GEMM ξ. <paramref name="zeros"/>
    /// holds K zeros and stands in for pixels past the output's edge. dM'[5] is the tile's sum of dy (the bias gradient).
    /// </summary>
    public static void OutputGradientTiles(float* dy, in WinogradShape s, int t0, int count, float* dm, long tileStride, long plane, float* zeros)
    {
        if (s.OutChannels % 16 == 0 && Vector512.IsHardwareAccelerated) OutputGradientTiles<Lanes512>(dy, s, t0, count, dm, tileStride, plane, zeros);
        else OutputGradientTiles<Lanes256>(dy, s, t0, count, dm, tileStride, plane, zeros);
    }

    private static void OutputGradientTiles<T>(float* dy, in WinogradShape s, int t0, int count, float* dm, long tileStride, long plane, float* zeros) where T : struct, IWinogradLanes<T>
    {
        int k = s.OutChannels;
        long rowStride = (long)s.OutWidth * k;
        for (int i = 0; i < count; i++)
        {
            float* y00 = s.OutputCorner(dy, t0 + i, out bool right, out bool below);
            float* y01 = right ? y00 + k : zeros, y10 = below ? y00 + rowStride : zeros, y11 = right && below ? y00 + rowStride + k : zeros;
            float* dst = dm + i * tileStride;
            for (int ch = 0; ch < k; ch += T.Count)
            {
                T a00 = T.Load(y00 + ch), a01 = T.Load(y01 + ch), a10 = T.Load(y10 + ch), a11 = T.Load(y11 + ch);
                StoreRow(a00, a01, dst + ch, plane);                          // A' row 0: (1, 0)
                StoreRow(a00 + a10, a01 + a11, dst + ch + 4 * plane, plane);  // row 1: (1, 1)
                StoreRow(a00 - a10, a01 - a11, dst + ch + 8 * plane, plane);  // row 2: (1, −1)
                StoreRow(a10, a11, dst + ch + 12 * plane, plane);             // row 3: (0, 1)
            }
        }
    }

    /// <summary>One row (a, b) of A' dY through A'ᵀ: (a, a + b, a − b, b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(T a, T b, float* dst, long plane) where T : struct, IWinogradLanes<T>
    {
        T.Store(a, dst);
        T.Store(a + b, dst + plane);
        T.Store(a - b, dst + 2 * plane);
        T.Store(b, dst + 3 * plane);
    }

    /// <summary>
    /// dK (3, 3, C, K) (Keras's kernel layout) = (S G)ᵀ dU'[·](c, o) (S G) for every (c, o) from dU'(16, C, K) (plane
    /// C·K). Vectorized over o (8 channels: K is a multiple of 8).
    /// </summary>
    public static void Filters(float* du, int c, int k, float* dkernel)
    {
        long plane = (long)c * k;   // between ξ planes of dU' and between taps of the kernel
        var t = stackalloc Vector256<float>[12];   // (S G)ᵀ dU': (3 × 4)
        for (int ci = 0; ci < c; ci++)
            for (int o = 0; o < k; o += WinogradTransforms.Lanes)
            {
                float* src = du + (long)ci * k + o;
                for (int q = 0; q < 4; q++)
                {
                    Combine(Vector256.Load(src + q * plane), Vector256.Load(src + (4 + q) * plane),
                        Vector256.Load(src + (8 + q) * plane), Vector256.Load(src + (12 + q) * plane), out t[q], out t[4 + q], out t[8 + q]);
                }
                float* dst = dkernel + (long)ci * k + o;
                for (int a = 0; a < 3; a++)
                {
                    Combine(t[4 * a], t[4 * a + 1], t[4 * a + 2], t[4 * a + 3], out var w0, out var w1, out var w2);
                    w0.Store(dst + 3 * a * plane);
                    w1.Store(dst + (3 * a + 1) * plane);
                    w2.Store(dst + (3 * a + 2) * plane);
                }
            }
    }

    /// <summary>(S G)ᵀ u for one column u of 4: (u0 + ½(u1 + u2), ½(u1 − u2), ½(u1 + u2) − u3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Combine(Vector256<float> u0, Vector256<float> u1, Vector256<float> u2, Vector256<float> u3,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2)
    {
        var half = Vector256.Create(0.5f);
        var sum = (u1 + u2) * half;
        w0 = u0 + sum;
        w1 = (u1 - u2) * half;
        w2 = sum - u3;
    }
}
