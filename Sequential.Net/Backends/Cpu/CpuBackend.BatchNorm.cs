using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

// Batch normalization over the feature columns of x(rows, features): the fused primitives of
// BatchNormalization (batch statistics, normalize, and the two passes of the backward).
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void BatchNormStatistics(DeviceBuffer x, DeviceBuffer stats, int rows, int features)
    {
        RequireBatchNorm(nameof(BatchNormStatistics), x, rows, features);
        RequireAtLeast(nameof(BatchNormStatistics), nameof(stats), stats, 2L * features);
        BatchNormKernels.Statistics(F(x), F(stats), rows, features, Vector256.IsHardwareAccelerated);
    }

    /// <inheritdoc/>
    public void BatchNormForward(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, DeviceBuffer? beta, DeviceBuffer y, int rows, int features, float epsilon)
    {
        RequireBatchNorm(nameof(BatchNormForward), x, rows, features);
        RequireRows(nameof(BatchNormForward), mean, variance, gamma, features);
        if (beta != null) RequireAtLeast(nameof(BatchNormForward), nameof(beta), beta, features);
        RequireAtLeast(nameof(BatchNormForward), nameof(y), y, (long)rows * features);
        BatchNormKernels.Forward(F(x), F(mean), F(variance), Fo(gamma), Fo(beta), F(y), rows, features, epsilon, Vector256.IsHardwareAccelerated);
    }

    /// <inheritdoc/>
    public void BatchNormBackwardReduce(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer dy, DeviceBuffer sums, int rows, int features, float epsilon)
    {
        RequireBatchNorm(nameof(BatchNormBackwardReduce), x, rows, features);
        RequireRows(nameof(BatchNormBackwardReduce), mean, variance, null, features);
        RequireAtLeast(nameof(BatchNormBackwardReduce), nameof(dy), dy, (long)rows * features);
        RequireAtLeast(nameof(BatchNormBackwardReduce), nameof(sums), sums, 2L * features);
        BatchNormKernels.BackwardReduce(F(x), F(mean), F(variance), F(dy), F(sums), rows, features, epsilon, Vector256.IsHardwareAccelerated);
    }

    /// <inheritdoc/>
    public void BatchNormBackwardInput(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, DeviceBuffer dy, DeviceBuffer? sums, DeviceBuffer dx,
        int rows, int features, float epsilon, bool batchStatistics)
    {
        RequireBatchNorm(nameof(BatchNormBackwardInput), x, rows, features);
        RequireRows(nameof(BatchNormBackwardInput), mean, variance, gamma, features);
        RequireAtLeast(nameof(BatchNormBackwardInput), nameof(dy), dy, (long)rows * features);
        RequireAtLeast(nameof(BatchNormBackwardInput), nameof(dx), dx, (long)rows * features);
        if (batchStatistics)
            RequireAtLeast(nameof(BatchNormBackwardInput), nameof(sums), sums ?? throw new ArgumentNullException(nameof(sums), "BatchNormBackwardInput: batch statistics need the sums of BatchNormBackwardReduce."), 2L * features);
        BatchNormKernels.BackwardInput(F(x), F(mean), F(variance), Fo(gamma), F(dy), batchStatistics ? F(sums!) : null, F(dx), rows, features, epsilon, Vector256.IsHardwareAccelerated);
    }

    private static float* Fo(DeviceBuffer? b) => b == null ? null : F(b);

    private static void RequireBatchNorm(string who, DeviceBuffer x, int rows, int features)
    {
        if (rows < 0 || features < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), $"{who}: expected rows >= 0 and features >= 0. Received: rows={rows}, features={features}.");
        RequireAtLeast(who, nameof(x), x, (long)rows * features);
    }

    private static void RequireRows(string who, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, int features)
    {
        RequireAtLeast(who, nameof(mean), mean, features);
        RequireAtLeast(who, nameof(variance), variance, features);
        if (gamma != null) RequireAtLeast(who, nameof(gamma), gamma, features);
    }

    private static void RequireAtLeast(string who, string name, DeviceBuffer buffer, long needed)
    {
        if (buffer.Length < needed)
            throw new ArgumentException($"{who}: {name} needs at least {needed} elements. Received a buffer of {buffer.Length}.", name);
    }
}

/// <summary>
/// The CPU kernels of batch normalization. The elementwise passes walk x row by row (contiguous, Vector256
/// over the columns with a scalar tail) and keep the per-feature constants (1/√(var + ε) folded with γ, the
/// means of the backward) in a per-thread scratch row, computed once per call, so nothing is allocated after
/// a thread's first call with that many features. The statistics sum blocks of columns down the rows in
/// registers (as SumRows does); the backward sums accumulate row by row into the output. Every column is
/// reduced in row order: deterministic. An element gets the same float operations in the vector and the scalar path (no
/// fused multiply-add), so <c>simd: false</c> is the bitwise scalar twin the tests compare against.
/// </summary>
internal static unsafe class BatchNormKernels
{
    private const int W = 8;   // Vector256<float>.Count

    [ThreadStatic] private static float[]? t_scratch;

    /// <summary>A pinned per-thread scratch of at least <paramref name="length"/> floats (grown, never shrunk).</summary>
    private static float* Scratch(int length)
    {
        if (t_scratch == null || t_scratch.Length < length)
            t_scratch = GC.AllocateArray<float>(Math.Max(length, 64), pinned: true);
        return (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref t_scratch[0]);
    }

    /// <summary>
    /// stats(2, features) = (column means; biased column variances) of x(rows, features): per block of
    /// columns, a pass down the rows for the sums and one for the squared deviations, in registers.
    /// </summary>
    public static void Statistics(float* x, float* stats, int rows, int features, bool simd)
    {
        if (rows == 0)
        {
            new Span<float>(stats, 2 * features).Clear();
            return;
        }
        int j = 0;
        if (simd)
        {
            var n = Vector256.Create((float)rows);
            for (; j <= features - 4 * W; j += 4 * W)   // 4 independent add chains over the rows
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (float* p = x + j, end = p + (long)rows * features; p < end; p += features)
                {
                    s0 += Vector256.Load(p); s1 += Vector256.Load(p + W); s2 += Vector256.Load(p + 2 * W); s3 += Vector256.Load(p + 3 * W);
                }
                Vector256<float> m0 = s0 / n, m1 = s1 / n, m2 = s2 / n, m3 = s3 / n;
                Vector256<float> q0 = default, q1 = default, q2 = default, q3 = default;
                for (float* p = x + j, end = p + (long)rows * features; p < end; p += features)
                {
                    var d0 = Vector256.Load(p) - m0; var d1 = Vector256.Load(p + W) - m1;
                    var d2 = Vector256.Load(p + 2 * W) - m2; var d3 = Vector256.Load(p + 3 * W) - m3;
                    q0 += d0 * d0; q1 += d1 * d1; q2 += d2 * d2; q3 += d3 * d3;
                }
                float* o = stats + j;
                Vector256.Store(m0, o); Vector256.Store(m1, o + W); Vector256.Store(m2, o + 2 * W); Vector256.Store(m3, o + 3 * W);
                o += features;
                Vector256.Store(q0 / n, o); Vector256.Store(q1 / n, o + W); Vector256.Store(q2 / n, o + 2 * W); Vector256.Store(q3 / n, o + 3 * W);
            }
            for (; j <= features - W; j += W)
            {
                var s = Vector256<float>.Zero;
                for (float* p = x + j, end = p + (long)rows * features; p < end; p += features) s += Vector256.Load(p);
                var mean = s / n;
                var q = Vector256<float>.Zero;
                for (float* p = x + j, end = p + (long)rows * features; p < end; p += features)
                {
                    var d = Vector256.Load(p) - mean;
                    q += d * d;
                }
                Vector256.Store(mean, stats + j);
                Vector256.Store(q / n, stats + features + j);
            }
        }
        for (; j < features; j++)
        {
            float s = 0;
            for (float* p = x + j, end = p + (long)rows * features; p < end; p += features) s += *p;
            float mean = s / rows;
            float q = 0;
            for (float* p = x + j, end = p + (long)rows * features; p < end; p += features)
            {
                float d = *p - mean;
                q += d * d;
            }
            stats[j] = mean;
            stats[features + j] = q / rows;
        }
    }

    /// <summary>1/√(variance + ε) per feature.</summary>
    private static float InvStd(float variance, float epsilon) => 1f / MathF.Sqrt(variance + epsilon);

    /// <summary>factor[j] = gamma[j]·invstd[j] (gamma null: invstd), vectorized; sqrt and division round the same either way.</summary>
    private static void Factors(float* variance, float* gamma, float epsilon, float* factor, int features, bool simd)
    {
        int j = 0;
        if (simd)
        {
            var eps = Vector256.Create(epsilon);
            for (; j <= features - W; j += W)
            {
                var inv = Vector256<float>.One / Vector256.Sqrt(Vector256.Load(variance + j) + eps);
                Vector256.Store(gamma != null ? Vector256.Load(gamma + j) * inv : inv, factor + j);
            }
        }
        for (; j < features; j++) factor[j] = gamma != null ? gamma[j] * InvStd(variance[j], epsilon) : InvStd(variance[j], epsilon);
    }

    /// <summary>y = (x − mean)·a + b with a = gamma·invstd and b = beta per column; gamma/beta null mean 1/0.</summary>
    public static void Forward(float* x, float* mean, float* variance, float* gamma, float* beta, float* y, int rows, int features, float epsilon, bool simd)
    {
        float* a = Scratch(2 * features), b = a + features;
        Factors(variance, gamma, epsilon, a, features, simd);
        if (beta != null) new Span<float>(beta, features).CopyTo(new Span<float>(b, features));
        else new Span<float>(b, features).Clear();
        // The per-feature factors are made once here; the rows (elementwise) split over the workers.
        var args = new RowArgs { X = x, Mean = mean, A = a, B = b, Out = y, Features = features, Simd = simd };
        ElementwiseParallel.ForRows(rows, features, &args, &ForwardRows);
    }

    /// <summary>The read-only per-feature rows and the buffers of a row-split batch-norm pass.</summary>
    private struct RowArgs
    {
        public float* X, Mean, A, B, M0, K, Dy, Out;
        public int Features;
        public bool Simd;
    }

    private static void ForwardRows(void* state, int first, int count)
    {
        ref RowArgs p = ref *(RowArgs*)state;
        float* x = p.X, mean = p.Mean, a = p.A, b = p.B, y = p.Out;
        int features = p.Features;
        for (int r = first; r < first + count; r++)
        {
            long o = (long)r * features;
            int j = 0;
            if (p.Simd)
                for (; j <= features - W; j += W)
                    Vector256.Store((Vector256.Load(x + o + j) - Vector256.Load(mean + j)) * Vector256.Load(a + j) + Vector256.Load(b + j), y + o + j);
            for (; j < features; j++) y[o + j] = (x[o + j] - mean[j]) * a[j] + b[j];
        }
    }

    /// <summary>sums(2, features) = (Σ_rows dy; Σ_rows dy·xhat) per column, xhat = (x − mean)·invstd.</summary>
    public static void BackwardReduce(float* x, float* mean, float* variance, float* dy, float* sums, int rows, int features, float epsilon, bool simd)
    {
        float* inv = Scratch(features), s0 = sums, s1 = sums + features;
        Factors(variance, null, epsilon, inv, features, simd);
        new Span<float>(sums, 2 * features).Clear();
        for (int r = 0; r < rows; r++)
        {
            long o = (long)r * features;
            int j = 0;
            if (simd)
                for (; j <= features - W; j += W)
                {
                    var d = Vector256.Load(dy + o + j);
                    var xhat = (Vector256.Load(x + o + j) - Vector256.Load(mean + j)) * Vector256.Load(inv + j);
                    Vector256.Store(Vector256.Load(s0 + j) + d, s0 + j);
                    Vector256.Store(Vector256.Load(s1 + j) + d * xhat, s1 + j);
                }
            for (; j < features; j++)
            {
                float d = dy[o + j], xhat = (x[o + j] - mean[j]) * inv[j];
                s0[j] += d;
                s1[j] += d * xhat;
            }
        }
    }

    /// <summary>
    /// With batch statistics (sums not null): dx = (dy − m0 − (x − mean)·k)·a with a = gamma·invstd,
    /// m0 = sums0/rows, k = invstd·(sums1/rows) (so (x − mean)·k = xhat·mean(dy·xhat)); else dx = dy·a.
    /// </summary>
    public static void BackwardInput(float* x, float* mean, float* variance, float* gamma, float* dy, float* sums, float* dx, int rows, int features, float epsilon, bool simd)
    {
        if (rows == 0) return;
        float* a = Scratch(3 * features), m0 = a + features, k = m0 + features;
        Factors(variance, gamma, epsilon, a, features, simd);
        if (sums != null)
            for (int j = 0; j < features; j++)
            {
                m0[j] = sums[j] / rows;
                k[j] = InvStd(variance[j], epsilon) * (sums[features + j] / rows);
            }
        var args = new RowArgs { X = x, Mean = mean, A = a, M0 = sums == null ? null : m0, K = k, Dy = dy, Out = dx, Features = features, Simd = simd };
        ElementwiseParallel.ForRows(rows, features, &args, &BackwardInputRows);
    }

    private static void BackwardInputRows(void* state, int first, int count)
    {
        ref RowArgs p = ref *(RowArgs*)state;
        float* x = p.X, mean = p.Mean, a = p.A, m0 = p.M0, k = p.K, dy = p.Dy, dx = p.Out;
        int features = p.Features;
        for (int r = first; r < first + count; r++)
        {
            long o = (long)r * features;
            int j = 0;
            if (m0 == null)
            {
                if (p.Simd)
                    for (; j <= features - W; j += W) Vector256.Store(Vector256.Load(dy + o + j) * Vector256.Load(a + j), dx + o + j);
                for (; j < features; j++) dx[o + j] = dy[o + j] * a[j];
                continue;
            }
            if (p.Simd)
                for (; j <= features - W; j += W)
                {
                    var centered = Vector256.Load(x + o + j) - Vector256.Load(mean + j);
                    Vector256.Store((Vector256.Load(dy + o + j) - Vector256.Load(m0 + j) - centered * Vector256.Load(k + j)) * Vector256.Load(a + j), dx + o + j);
                }
            for (; j < features; j++) dx[o + j] = (dy[o + j] - m0[j] - (x[o + j] - mean[j]) * k[j]) * a[j];
        }
    }
}
