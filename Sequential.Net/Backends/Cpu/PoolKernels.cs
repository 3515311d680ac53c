using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// 2-D max and average pooling, channels last, forward and backward, parallel over ranges of samples. A window
/// is clipped to the image (padded cells are not part of it: a max ignores them, an average does not count
/// them, as TensorFlow pools). The backward walks the output pixels of a sample in order and adds each dy to
/// the cells its window read — for max only the first cell (row-major) holding the maximum, times ReLU's
/// derivative there for <see cref="PoolKind.MaxAfterRelu"/> — so every dx element is summed in a fixed order
/// whatever the thread count.
/// </summary>
internal static unsafe partial class PoolKernels
{
    [ThreadStatic] private static PoolJob? t_job;

    /// <summary>Forward: a = x, b = y. Backward: a = x, b = dy, dx written whole.</summary>
    public static void Run(PoolKind kind, bool backward, float* a, float* b, float* dx, in PoolGeometry g)
    {
        if (g.Batch == 0) return;
        var job = t_job ??= new PoolJob();
        job.Kind = kind; job.Backward = backward; job.A = a; job.B = b; job.Dx = dx; job.G = g;
        long work = g.OutputLength * g.PoolHeight * g.PoolWidth;
        int parts = work < 1 << 15 ? 1 : Math.Min(g.Batch, 4 * CpuWorkers.ThreadCount);
        try { CpuWorkers.Run(job, parts); }
        finally { job.A = job.B = job.Dx = null; }
    }

    private sealed class PoolJob : CpuJob
    {
        public PoolKind Kind;
        public bool Backward;
        public float* A, B, Dx;
        public PoolGeometry G;

        public override void Execute(int part, int parts)
        {
            int b0 = (int)((long)part * G.Batch / parts), b1 = (int)((long)(part + 1) * G.Batch / parts);
            for (int s = b0; s < b1; s++)
            {
                if (Backward) BackwardSample(Kind, A, B, Dx, G, s);
                else ForwardSample(Kind, A, B, G, s);
            }
        }
    }

    /// <summary>Forward of sample <paramref name="s"/>: y(OutHeight, OutWidth, C) of image x(InHeight, InWidth, C).</summary>
    internal static void ForwardSample(PoolKind kind, float* images, float* pooled, in PoolGeometry g, int s)
    {
        int c = g.Channels;
        float* x = images + (long)s * g.InHeight * g.InWidth * c, y = pooled + (long)s * g.OutHeight * g.OutWidth * c;
        for (int oy = 0; oy < g.OutHeight; oy++)
            for (int ox = 0; ox < g.OutWidth; ox++, y += c)
            {
                var (y0, y1, x0, x1) = Window(g, oy, ox);
                bool first = true;
                for (int iy = y0; iy < y1; iy++)
                    for (int ix = x0; ix < x1; ix++)
                    {
                        float* cell = x + ((long)iy * g.InWidth + ix) * c;
                        if (first) { new ReadOnlySpan<float>(cell, c).CopyTo(new Span<float>(y, c)); first = false; }
                        else if (kind != PoolKind.Average) MaxInto(y, cell, c);
                        else AddInto(y, cell, 1f, c);
                    }
                if (kind == PoolKind.Average) DivideBy(y, (y1 - y0) * (x1 - x0), c);
            }
    }

    /// <summary>Backward of sample <paramref name="s"/>: its dx image, written whole, from its x image and dy.</summary>
    internal static void BackwardSample(PoolKind kind, float* images, float* dyAll, float* dxAll, in PoolGeometry g, int s)
    {
        int c = g.Channels;
        long image = (long)g.InHeight * g.InWidth * c;
        float* x = images + s * image, dy = dyAll + (long)s * g.OutHeight * g.OutWidth * c, dx = dxAll + s * image;
        bool afterRelu = kind == PoolKind.MaxAfterRelu;
        if (kind != PoolKind.Average && DisjointWindows(g))
        {
            DisjointMaxBackward(x, dy, dx, g, afterRelu);
            return;
        }
        new Span<float>(dx, checked((int)image)).Clear();
        for (int oy = 0; oy < g.OutHeight; oy++)
            for (int ox = 0; ox < g.OutWidth; ox++, dy += c)
            {
                var (y0, y1, x0, x1) = Window(g, oy, ox);
                if (kind == PoolKind.Average)
                {
                    float count = (y1 - y0) * (x1 - x0);
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                            AddInto(dx + ((long)iy * g.InWidth + ix) * c, dy, count, c);
                    continue;
                }
                int j = 0;
                if (Vector256.IsHardwareAccelerated)
                    for (; j <= c - 8; j += 8) RouteMax8(x, dy, dx, g, y0, y1, x0, x1, j, afterRelu);
                for (; j < c; j++)
                {
                    long best = ((long)y0 * g.InWidth + x0) * c + j;
                    for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++)
                        {
                            long at = ((long)iy * g.InWidth + ix) * c + j;
                            if (x[at] > x[best]) best = at;
                        }
                    dx[best] += afterRelu ? dy[j] * ReluDerivative(x[best]) : dy[j];
                }
            }
    }

    /// <summary>y[j] = x[j] &gt; y[j] ? x[j] : y[j] (a NaN never wins, as in the scalar compare and kernels/pool.cu).</summary>
    private static void MaxInto(float* y, float* x, int c)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= c - 16; j += 16)
            {
                Vector512<float> a = Vector512.Load(y + j), v = Vector512.Load(x + j);
                Vector512.Store(Vector512.ConditionalSelect(Vector512.GreaterThan(v, a), v, a), y + j);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; j <= c - 8; j += 8)
            {
                Vector256<float> a = Vector256.Load(y + j), v = Vector256.Load(x + j);
                Vector256.Store(Vector256.ConditionalSelect(Vector256.GreaterThan(v, a), v, a), y + j);
            }
        for (; j < c; j++) if (x[j] > y[j]) y[j] = x[j];
    }

    /// <summary>y[j] += x[j] / divisor (divisor 1 adds exactly).</summary>
    private static void AddInto(float* y, float* x, float divisor, int c)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var d = Vector256.Create(divisor);
            for (; j <= c - 8; j += 8) Vector256.Store(Vector256.Load(y + j) + Vector256.Load(x + j) / d, y + j);
        }
        for (; j < c; j++) y[j] += x[j] / divisor;
    }

    private static void DivideBy(float* y, float divisor, int c)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var d = Vector256.Create(divisor);
            for (; j <= c - 8; j += 8) Vector256.Store(Vector256.Load(y + j) / d, y + j);
        }
        for (; j < c; j++) y[j] /= divisor;
    }

    /// <summary>
    /// Channels [j, j + 8) of one max window: finds the first cell (row-major) holding each channel's maximum
    /// (<see cref="FirstMax8"/>), then adds dy to those cells of dx.
    /// </summary>
    private static void RouteMax8(float* x, float* dy, float* dx, in PoolGeometry g, int y0, int y1, int x0, int x1, int j, bool afterRelu)
    {
        Vector256<int> at = FirstMax8(x, g, y0, y1, x0, x1, j, out Vector256<float> best);
        Vector256<float> grad = Vector256.Load(dy + j);
        if (afterRelu) grad *= ReluDerivative(best);
        for (int t = 0; t < 8; t++) dx[at.GetElement(t) + t] += grad.GetElement(t);
    }

    /// <summary>
    /// The offset of the first cell (row-major in the window) holding each of channels [j, j + 8)'s maximum (a later
    /// cell wins only when greater, so a NaN never does), and the maxima. Every max backward routes by this rule.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> FirstMax8(float* x, in PoolGeometry g, int y0, int y1, int x0, int x1, int j, out Vector256<float> best)
    {
        int c = g.Channels;
        int first = (y0 * g.InWidth + x0) * c + j;
        best = Vector256.Load(x + first);
        Vector256<int> at = Vector256.Create(first);
        for (int iy = y0; iy < y1; iy++)
            for (int ix = x0; ix < x1; ix++)
            {
                int offset = (iy * g.InWidth + ix) * c + j;
                Vector256<float> v = Vector256.Load(x + offset);
                Vector256<float> wins = Vector256.GreaterThan(v, best);
                best = Vector256.ConditionalSelect(wins, v, best);
                at = Vector256.ConditionalSelect(wins.AsInt32(), Vector256.Create(offset), at);
            }
        return at;
    }

    /// <summary><see cref="FirstMax8"/> on channels [j, j + 16).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> FirstMax16(float* x, in PoolGeometry g, int y0, int y1, int x0, int x1, int j, out Vector512<float> best)
    {
        int c = g.Channels;
        int first = (y0 * g.InWidth + x0) * c + j;
        best = Vector512.Load(x + first);
        Vector512<int> at = Vector512.Create(first);
        for (int iy = y0; iy < y1; iy++)
            for (int ix = x0; ix < x1; ix++)
            {
                int offset = (iy * g.InWidth + ix) * c + j;
                Vector512<float> v = Vector512.Load(x + offset);
                Vector512<float> wins = Vector512.GreaterThan(v, best);
                best = Vector512.ConditionalSelect(wins, v, best);
                at = Vector512.ConditionalSelect(wins.AsInt32(), Vector512.Create(offset), at);
            }
        return at;
    }

    /// <summary>ReLU's derivative read at its output, as <see cref="Relu"/> computes it (1 where y &gt; 0, else 0).</summary>
    private static float ReluDerivative(float y) => y > 0f ? 1f : 0f;

    /// <summary><see cref="ReluDerivative(float)"/> on eight lanes.</summary>
    private static Vector256<float> ReluDerivative(Vector256<float> y)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), Vector256<float>.One, Vector256<float>.Zero);

    /// <summary>The window of output (oy, ox) clipped to the image: rows [y0, y1), columns [x0, x1).</summary>
    internal static (int Y0, int Y1, int X0, int X1) Window(in PoolGeometry g, int oy, int ox)
    {
        int y0 = oy * g.StrideHeight - g.PadTop, x0 = ox * g.StrideWidth - g.PadLeft;
        return (Math.Max(y0, 0), Math.Min(y0 + g.PoolHeight, g.InHeight), Math.Max(x0, 0), Math.Min(x0 + g.PoolWidth, g.InWidth));
    }
}
