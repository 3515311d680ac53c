using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// sums(n) (+)= Σ_rows a(rows, n), each column summed in row order with 16-lane accumulators held in registers
/// across the rows (one pass over a block that is already in cache: the convolution's bias gradient).
/// </summary>
internal static unsafe class ColumnSums
{
    /// <summary>sums = Σ rows of a when <paramref name="overwrite"/>, else sums += Σ rows of a; every column in row order.</summary>
    public static void Accumulate(float* a, int rows, int n, float* sums, bool overwrite)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - 16; j += 16)
            {
                Vector512<float> acc = overwrite ? Vector512<float>.Zero : Vector512.Load(sums + j);
                for (int r = 0; r < rows; r++) acc += Vector512.Load(a + (long)r * n + j);
                Vector512.Store(acc, sums + j);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; j <= n - 8; j += 8)
            {
                Vector256<float> acc = overwrite ? Vector256<float>.Zero : Vector256.Load(sums + j);
                for (int r = 0; r < rows; r++) acc += Vector256.Load(a + (long)r * n + j);
                Vector256.Store(acc, sums + j);
            }
        for (; j < n; j++) sums[j] = Column(a, rows, n, j, overwrite ? 0f : sums[j]);
    }

    /// <summary>The scalar twin: start + Σ_r a[r, j] in row order (the same additions as the vector lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Column(float* a, int rows, int n, int j, float start)
    {
        float acc = start;
        for (int r = 0; r < rows; r++) acc += a[(long)r * n + j];
        return acc;
    }
}
