using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The three transforms of Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for
/// Convolutional Neural Networks", 2015): Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A for a 4×4 input tile d, a 3×3 filter g
/// and a 2×2 output tile Y, with
/// <code>
/// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]
/// </code>
/// Summed over input channels, the ⊙ becomes 16 independent GEMMs (one per position ξ of the 4×4 tile), which
/// <see cref="WinogradJob"/> runs on <see cref="Sgemm"/>. The transforms work on 8 or 16 channels at a time
/// (<see cref="IWinogradLanes{T}"/>; channels are contiguous in NHWC and in Keras's kernel), so channel counts must
/// be multiples of 8. Each element is a fixed sequence of adds (and exact halvings), so results do not depend on how
/// tiles are grouped into blocks, nor on the vector width.
/// </summary>
internal static unsafe class WinogradTransforms
{
    /// <summary>Channels per vector: transforms need channel counts that are multiples of this.</summary>
    public const int Lanes = 8;

    /// <summary>
    /// U(16, C, K) = G g Gᵀ for every filter g = kernel(·, ·, c, o) of a Keras kernel (3, 3, C, K): U[ξ] is the
    /// (C × K) B operand of GEMM ξ. Vectorized over o.
    /// </summary>
    public static void Filters(float* kernel, int c, int k, float* u)
    {
        long plane = (long)c * k;   // between taps of the kernel and between ξ planes of U
        var half = Vector256.Create(0.5f);
        var t = stackalloc Vector256<float>[12];   // G g: (4 × 3)
        for (int ci = 0; ci < c; ci++)
            for (int o = 0; o < k; o += Lanes)
            {
                float* g = kernel + (long)ci * k + o;
                for (int b = 0; b < 3; b++)
                {
                    var g0 = Vector256.Load(g + b * plane);
                    var g1 = Vector256.Load(g + (3 + b) * plane);
                    var g2 = Vector256.Load(g + (6 + b) * plane);
                    t[b] = g0;
                    t[3 + b] = (g0 + g1 + g2) * half;
                    t[6 + b] = (g0 - g1 + g2) * half;
                    t[9 + b] = g2;
                }
                float* dst = u + (long)ci * k + o;
                for (int a = 0; a < 4; a++, dst += 4 * plane)
                {
                    Vector256<float> t0 = t[3 * a], t1 = t[3 * a + 1], t2 = t[3 * a + 2];
                    t0.Store(dst);
                    ((t0 + t1 + t2) * half).Store(dst + plane);
                    ((t0 - t1 + t2) * half).Store(dst + 2 * plane);
                    t2.Store(dst + 3 * plane);
                }
            }
    }

    /// <summary>
    /// U'(16, K, C) of the input gradient from the forward U(16, C, K): the flipped filter J g J transforms to
    /// P U Pᵀ (G J = P G, with P swapping rows 0 and 3), and the channel axes swap, so
    /// U'[4r + q](o, c) = U[4 p(r) + p(q)](c, o).
    /// </summary>
    public static void FlippedTransposedFilters(float* u, int c, int k, float* flipped)
    {
        long plane = (long)c * k;
        for (int r = 0; r < 4; r++)
            for (int q = 0; q < 4; q++)
            {
                float* src = u + (Swap03(r) * 4 + Swap03(q)) * plane, dst = flipped + (r * 4 + q) * plane;
                for (int c0 = 0; c0 < c; c0 += Lanes)
                    for (int o0 = 0; o0 < k; o0 += Lanes)
                        Sgemm.Transpose8x8(src + (long)c0 * k + o0, k, dst + (long)o0 * c + c0, c);
            }
    }

    private static int Swap03(int i) => i == 0 ? 3 : i == 3 ? 0 : i;

    /// <summary>
    /// V(16, count, C) = Bᵀ d B for tiles [t0, t0 + count), element (ξ, i, ch) at
    /// v + ξ·<paramref name="plane"/> + i·<paramref name="tileStride"/> + ch: V[ξ] is the (count × C) A operand of
    /// GEMM ξ. <paramref name="zeros"/> holds C zeros and stands in for pixels outside the image (the padding).
    /// 16 channels at a time where C allows and the CPU has 512-bit vectors, else 8.
    /// </summary>
    public static void InputTiles(float* x, in WinogradShape s, int t0, int count, float* v, long tileStride, long plane, float* zeros)
    {
        if (Wide(s.InChannels)) InputTiles<Lanes512>(x, s, t0, count, v, tileStride, plane, zeros);
        else InputTiles<Lanes256>(x, s, t0, count, v, tileStride, plane, zeros);
    }

    /// <summary>
    /// y = Aᵀ M A for tiles [t0, t0 + count) from M(16, count, K) (element (ξ, i, ch) at m + ξ·<paramref name="plane"/>
    /// + i·<paramref name="tileStride"/> + ch), only the pixels inside the output, then the <paramref name="epilogue"/>
    /// (bias and activation) on each written pixel's K channels while they are in L1.
    /// </summary>
    public static void OutputTiles(float* m, long tileStride, long plane, in WinogradShape s, int t0, int count, float* y, in GemmEpilogue epilogue)
    {
        if (Wide(s.OutChannels)) OutputTiles<Lanes512>(m, tileStride, plane, s, t0, count, y, epilogue);
        else OutputTiles<Lanes256>(m, tileStride, plane, s, t0, count, y, epilogue);
    }

    /// <summary>
    /// Asks for the output pixels of tiles [t0, t0 + count) in L2 ahead of <see cref="OutputTiles"/>. Issued before
    /// the block's GEMMs, the line fills (read-for-ownership of y, 64 KB for 64 tiles of 64 channels) overlap their
    /// arithmetic instead of stalling the output transform's burst of stores.
    /// </summary>
    public static void PrefetchOutput(in WinogradShape s, int t0, int count, float* y)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        int k = s.OutChannels;
        long rowStride = (long)s.OutWidth * k;
        for (int i = 0; i < count; i++)
        {
            float* out00 = s.OutputCorner(y, t0 + i, out bool right, out bool below);
            int width = (right ? 2 : 1) * k, rows = below ? 2 : 1;
            for (int r = 0; r < rows; r++)
                for (int f = 0; f < width; f += 16) System.Runtime.Intrinsics.X86.Sse.Prefetch1(out00 + r * rowStride + f);
        }
    }

    /// <summary>True when <paramref name="channels"/> split into 16-float vectors that the CPU runs natively.</summary>
    private static bool Wide(int channels) => channels % 16 == 0 && Vector512.IsHardwareAccelerated;

    private static void InputTiles<T>(float* x, in WinogradShape s, int t0, int count, float* v, long tileStride, long plane, float* zeros) where T : struct, IWinogradLanes<T>
    {
        int c = s.InChannels;
        float** d = stackalloc float*[16];
        for (int i = 0; i < count; i++)
        {
            s.Locate(t0 + i, out int b, out int ty, out int tx);
            int y0 = 2 * ty - s.PadTop, x0 = 2 * tx - s.PadLeft;
            float* image = x + (long)b * s.InHeight * s.InWidth * c;
            for (int r = 0; r < 4; r++)
                for (int q = 0; q < 4; q++)
                {
                    int iy = y0 + r, ix = x0 + q;
                    d[r * 4 + q] = (uint)iy < (uint)s.InHeight && (uint)ix < (uint)s.InWidth ? image + ((long)iy * s.InWidth + ix) * c : zeros;
                }
            float* dst = v + i * tileStride;
            for (int ch = 0; ch < c; ch += T.Count) InputTile<T>(d, ch, dst + ch, plane);
        }
    }

    /// <summary>
    /// Bᵀ d B for one vector of channels of one tile, one row of t = Bᵀ d at a time (rows 1 and 2 of d stay in
    /// registers), each row then through B (<see cref="StoreRow"/>); stored at ξ = 4r + q.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputTile<T>(float** d, int ch, float* dst, long plane) where T : struct, IWinogradLanes<T>
    {
        T d10 = T.Load(d[4] + ch), d11 = T.Load(d[5] + ch), d12 = T.Load(d[6] + ch), d13 = T.Load(d[7] + ch);
        T d20 = T.Load(d[8] + ch), d21 = T.Load(d[9] + ch), d22 = T.Load(d[10] + ch), d23 = T.Load(d[11] + ch);
        StoreRow(T.Load(d[0] + ch) - d20, T.Load(d[1] + ch) - d21, T.Load(d[2] + ch) - d22, T.Load(d[3] + ch) - d23, dst, plane);
        StoreRow(d10 + d20, d11 + d21, d12 + d22, d13 + d23, dst + 4 * plane, plane);
        StoreRow(d20 - d10, d21 - d11, d22 - d12, d23 - d13, dst + 8 * plane, plane);
        StoreRow(d10 - T.Load(d[12] + ch), d11 - T.Load(d[13] + ch), d12 - T.Load(d[14] + ch), d13 - T.Load(d[15] + ch), dst + 12 * plane, plane);
    }

    /// <summary>One row of t through B: (t0 − t2, t1 + t2, t2 − t1, t1 − t3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(T t0, T t1, T t2, T t3, float* dst, long plane) where T : struct, IWinogradLanes<T>
    {
        T.Store(t0 - t2, dst);
        T.Store(t1 + t2, dst + plane);
        T.Store(t2 - t1, dst + 2 * plane);
        T.Store(t1 - t3, dst + 3 * plane);
    }

    private static void OutputTiles<T>(float* m, long tileStride, long plane, in WinogradShape s, int t0, int count, float* y, in GemmEpilogue epilogue) where T : struct, IWinogradLanes<T>
    {
        int k = s.OutChannels;
        long rowStride = (long)s.OutWidth * k;
        for (int i = 0; i < count; i++)
        {
            float* out00 = s.OutputCorner(y, t0 + i, out bool right, out bool below);
            float* src = m + i * tileStride;
            for (int ch = 0; ch < k; ch += T.Count) OutputTile<T>(src + ch, plane, out00 + ch, k, rowStride, right, below);
            if (epilogue.IsNone) continue;
            epilogue.Row(epilogue.Op, out00, epilogue.Bias, k);
            if (right) epilogue.Row(epilogue.Op, out00 + k, epilogue.Bias, k);
            if (below) epilogue.Row(epilogue.Op, out00 + rowStride, epilogue.Bias, k);
            if (right && below) epilogue.Row(epilogue.Op, out00 + rowStride + k, epilogue.Bias, k);
        }
    }

    /// <summary>Aᵀ M A for one vector of channels of one tile: rows (s = M A), then columns (Aᵀ s); pixels past the edge are dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputTile<T>(float* m, long plane, float* out00, int k, long rowStride, bool right, bool below) where T : struct, IWinogradLanes<T>
    {
        RowSums(m, plane, out T s00, out T s01);
        RowSums(m + 4 * plane, plane, out T s10, out T s11);
        RowSums(m + 8 * plane, plane, out T s20, out T s21);
        RowSums(m + 12 * plane, plane, out T s30, out T s31);
        T.Store(s00 + s10 + s20, out00);
        if (right) T.Store(s01 + s11 + s21, out00 + k);
        if (!below) return;
        T.Store(s10 - s20 - s30, out00 + rowStride);
        if (right) T.Store(s11 - s21 - s31, out00 + rowStride + k);
    }

    /// <summary>One row r of M A: (m0 + m1 + m2, m1 − m2 − m3) from M[4r + 0..3].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowSums<T>(float* row, long plane, out T left, out T right) where T : struct, IWinogradLanes<T>
    {
        T m0 = T.Load(row), m1 = T.Load(row + plane), m2 = T.Load(row + 2 * plane), m3 = T.Load(row + 3 * plane);
        left = m0 + m1 + m2;
        right = m1 - m2 - m3;
    }
}
