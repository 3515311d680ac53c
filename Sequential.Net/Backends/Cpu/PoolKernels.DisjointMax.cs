using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

// The max-pooling backward when no input cell lies in two windows (strides ≥ pool size, as in MaxPooling2D(2)):
// each window's cells are written once, dy to the first cell (row-major) holding the maximum and 0 to the others,
// instead of clearing the image and adding dy cell by cell. Same winner rule as RouteMax8, so the same bits
// (and the same ReLU factor for PoolKind.MaxAfterRelu).
internal static unsafe partial class PoolKernels
{
    /// <summary>Whether every input cell lies in at most one window: windows start Stride apart and are PoolSize long.</summary>
    internal static bool DisjointWindows(in PoolGeometry g) => g.StrideHeight >= g.PoolHeight && g.StrideWidth >= g.PoolWidth;

    /// <summary>Whether the disjoint windows also cover every input cell (no gaps, no uncovered border).</summary>
    private static bool WindowsTile(in PoolGeometry g)
        => g.StrideHeight == g.PoolHeight && g.StrideWidth == g.PoolWidth
           && (g.OutHeight - 1) * g.StrideHeight - g.PadTop + g.PoolHeight >= g.InHeight
           && (g.OutWidth - 1) * g.StrideWidth - g.PadLeft + g.PoolWidth >= g.InWidth
           && g.PadTop < g.PoolHeight && g.PadLeft < g.PoolWidth;

    /// <summary>dx of one sample (image x, its dy): cells outside every window are cleared first when there are any.</summary>
    private static void DisjointMaxBackward(float* x, float* dy, float* dx, in PoolGeometry g, bool afterRelu)
    {
        int c = g.Channels;
        if (!WindowsTile(g)) new Span<float>(dx, checked(g.InHeight * g.InWidth * c)).Clear();
        for (int oy = 0; oy < g.OutHeight; oy++)
            for (int ox = 0; ox < g.OutWidth; ox++, dy += c)
            {
                var (y0, y1, x0, x1) = Window(g, oy, ox);
                int j = 0;
                if (Vector512.IsHardwareAccelerated)
                    for (; j <= c - 16; j += 16) WriteMax16(x, dy, dx, g, y0, y1, x0, x1, j, afterRelu);
                if (Vector256.IsHardwareAccelerated)
                    for (; j <= c - 8; j += 8) WriteMax8(x, dy, dx, g, y0, y1, x0, x1, j, afterRelu);
                for (; j < c; j++)
                {
                    int best = (y0 * g.InWidth + x0) * c + j;
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                        {
                            int at = (iy * g.InWidth + ix) * c + j;
                            if (x[at] > x[best]) best = at;
                        }
                    float grad = afterRelu ? dy[j] * ReluDerivative(x[best]) : dy[j];
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                        {
                            int at = (iy * g.InWidth + ix) * c + j;
                            dx[at] = at == best ? grad : 0f;
                        }
                }
            }
    }

    /// <summary><see cref="WriteMax8"/> on channels [j, j + 16): the same winner rule, so the same bits.</summary>
    private static void WriteMax16(float* x, float* dy, float* dx, in PoolGeometry g, int y0, int y1, int x0, int x1, int j, bool afterRelu)
    {
        int c = g.Channels;
        Vector512<int> at = FirstMax16(x, g, y0, y1, x0, x1, j, out Vector512<float> best);
        Vector512<float> grad = Vector512.Load(dy + j);
        if (afterRelu) grad *= Vector512.ConditionalSelect(Vector512.GreaterThan(best, Vector512<float>.Zero), Vector512<float>.One, Vector512<float>.Zero);
        for (int iy = y0; iy < y1; iy++)
            for (int ix = x0; ix < x1; ix++)
            {
                int offset = (iy * g.InWidth + ix) * c + j;
                Vector512.Store(Vector512.BitwiseAnd(Vector512.Equals(at, Vector512.Create(offset)).AsSingle(), grad), dx + offset);
            }
    }

    /// <summary>Channels [j, j + 8) of one window: finds each channel's first maximum (<see cref="FirstMax8"/>), then writes dy there and 0 elsewhere.</summary>
    private static void WriteMax8(float* x, float* dy, float* dx, in PoolGeometry g, int y0, int y1, int x0, int x1, int j, bool afterRelu)
    {
        int c = g.Channels;
        Vector256<int> at = FirstMax8(x, g, y0, y1, x0, x1, j, out Vector256<float> best);
        Vector256<float> grad = Vector256.Load(dy + j);
        if (afterRelu) grad *= ReluDerivative(best);
        for (int iy = y0; iy < y1; iy++)
            for (int ix = x0; ix < x1; ix++)
            {
                int offset = (iy * g.InWidth + ix) * c + j;
                Vector256.Store(Vector256.BitwiseAnd(Vector256.Equals(at, Vector256.Create(offset)).AsSingle(), grad), dx + offset);
            }
    }
}
