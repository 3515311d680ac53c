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
        RequireLength(nameof(BatchNormStatistics), nameof(stats), stats, 2L * features);
        BatchNormKernels.Statistics(F(x), F(stats), rows, features, Vector256.IsHardwareAccelerated);
    }

    /// <inheritdoc/>
    public void BatchNormForward(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, DeviceBuffer? beta, DeviceBuffer y, int rows, int features, float epsilon)
    {
        RequireBatchNorm(nameof(BatchNormForward), x, rows, features);
        RequireRows(nameof(BatchNormForward), mean, variance, gamma, features);
        if (beta != null) RequireLength(nameof(BatchNormForward), nameof(beta), beta, features);
        RequireLength(nameof(BatchNormForward), nameof(y), y, (long)rows * features);
        BatchNormKernels.Forward(F(x), F(mean), F(variance), Fo(gamma), Fo(beta), F(y), rows, features, epsilon, Vector256.IsHardwareAccelerated);
    }

    /// <inheritdoc/>
    public void BatchNormBackwardReduce(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer dy, DeviceBuffer sums, int rows, int features, float epsilon)
    {
        RequireBatchNorm(nameof(BatchNormBackwardReduce), x, rows, features);
        RequireRows(nameof(BatchNormBackwardReduce), mean, variance, null, features);
        RequireLength(nameof(BatchNormBackwardReduce), nameof(dy), dy, (long)rows * features);
        RequireLength(nameof(BatchNormBackwardReduce), nameof(sums), sums, 2L * features);
        BatchNormKernels.BackwardReduce(F(x), F(mean), F(variance), F(dy), F(sums), rows, features, epsilon, Vector256.IsHardwareAccelerated);
    }

    /// <inheritdoc/>
    public void BatchNormBackwardInput(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, DeviceBuffer dy, DeviceBuffer? sums, DeviceBuffer dx,
        int rows, int features, float epsilon, bool batchStatistics)
    {
        RequireBatchNorm(nameof(BatchNormBackwardInput), x, rows, features);
        RequireRows(nameof(BatchNormBackwardInput), mean, variance, gamma, features);
        RequireLength(nameof(BatchNormBackwardInput), nameof(dy), dy, (long)rows * features);
        RequireLength(nameof(BatchNormBackwardInput), nameof(dx), dx, (long)rows * features);
        if (batchStatistics)
            RequireLength(nameof(BatchNormBackwardInput), nameof(sums), sums ?? throw new ArgumentNullException(nameof(sums), "BatchNormBackwardInput: batch statistics need the sums of BatchNormBackwardReduce."), 2L * features);
        BatchNormKernels.BackwardInput(F(x), F(mean), F(variance), Fo(gamma), F(dy), batchStatistics ? F(sums!) : null, F(dx), rows, features, epsilon, Vector256.IsHardwareAccelerated);
    }

    private static float* Fo(DeviceBuffer? b) => b == null ? null : F(b);

    private static void RequireBatchNorm(string who, DeviceBuffer x, int rows, int features)
    {
        if (rows < 0 || features < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), $"{who}: expected rows >= 0 and features >= 0. Received: rows={rows}, features={features}.");
        RequireLength(who, nameof(x), x, (long)rows * features);
    }

    private static void RequireRows(string who, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, int features)
    {
        RequireLength(who, nameof(mean), mean, features);
        RequireLength(who, nameof(variance), variance, features);
        if (gamma != null) RequireLength(who, nameof(gamma), gamma, features);
    }

    private static void RequireLength(string who, string name, DeviceBuffer buffer, long needed)
    {
        if (buffer.Length < needed)
            throw new ArgumentException($"{who}: {name} needs at least {needed} elements. Received a buffer of {buffer.Length}.", name);
    }
}

/// <summary>
/// The CPU kernels of batch normalization. Each walks the columns in blocks (8 at a time with Vector256,
/// then one at a time) down every row, so a column's constants (mean, 1/√(var + ε), γ, β) stay in
/// registers and nothing is allocated. A column gets the same sequence of float operations in the vector
/// and the scalar path (no fused multiply-add), so <c>simd: false</c> is the bitwise scalar twin the tests
/// compare against. Columns are reduced over rows in row order: deterministic.
/// </summary>
internal static unsafe class BatchNormKernels
{
    private const int W = 8;   // Vector256<float>.Count

    /// <summary>stats(2, features) = (column means; biased column variances) of x(rows, features); two passes per column block.</summary>
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
            for (; j <= features - W; j += W)
            {
                var s = Vector256<float>.Zero;
                float* p = x + j;
                for (int r = 0; r < rows; r++, p += features) s += Vector256.Load(p);
                var mean = s / n;
                var q = Vector256<float>.Zero;
                p = x + j;
                for (int r = 0; r < rows; r++, p += features)
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
            float* p = x + j;
            for (int r = 0; r < rows; r++, p += features) s += *p;
            float mean = s / rows;
            float q = 0;
            p = x + j;
            for (int r = 0; r < rows; r++, p += features)
            {
                float d = *p - mean;
                q += d * d;
            }
            stats[j] = mean;
            stats[features + j] = q / rows;
        }
    }

    /// <summary>y = ((x − mean)·invstd)·gamma + beta per column; gamma/beta null mean 1/0.</summary>
    public static void Forward(float* x, float* mean, float* variance, float* gamma, float* beta, float* y, int rows, int features, float epsilon, bool simd)
    {
        int j = 0;
        if (simd)
        {
            var eps = Vector256.Create(epsilon);
            for (; j <= features - W; j += W)
            {
                var m = Vector256.Load(mean + j);
                var inv = Vector256<float>.One / Vector256.Sqrt(Vector256.Load(variance + j) + eps);
                var g = gamma != null ? Vector256.Load(gamma + j) : Vector256<float>.One;
                var b = beta != null ? Vector256.Load(beta + j) : Vector256<float>.Zero;
                for (long o = j, end = (long)rows * features; o < end; o += features)
                    Vector256.Store((Vector256.Load(x + o) - m) * inv * g + b, y + o);
            }
        }
        for (; j < features; j++)
        {
            float m = mean[j], inv = 1f / MathF.Sqrt(variance[j] + epsilon);
            float g = gamma != null ? gamma[j] : 1f, b = beta != null ? beta[j] : 0f;
            for (long o = j, end = (long)rows * features; o < end; o += features)
                y[o] = (x[o] - m) * inv * g + b;
        }
    }

    /// <summary>sums(2, features) = (Σ_rows dy; Σ_rows dy·xhat) per column.</summary>
    public static void BackwardReduce(float* x, float* mean, float* variance, float* dy, float* sums, int rows, int features, float epsilon, bool simd)
    {
        int j = 0;
        if (simd)
        {
            var eps = Vector256.Create(epsilon);
            for (; j <= features - W; j += W)
            {
                var m = Vector256.Load(mean + j);
                var inv = Vector256<float>.One / Vector256.Sqrt(Vector256.Load(variance + j) + eps);
                Vector256<float> s0 = default, s1 = default;
                for (long o = j, end = (long)rows * features; o < end; o += features)
                {
                    var d = Vector256.Load(dy + o);
                    s0 += d;
                    s1 += d * ((Vector256.Load(x + o) - m) * inv);
                }
                Vector256.Store(s0, sums + j);
                Vector256.Store(s1, sums + features + j);
            }
        }
        for (; j < features; j++)
        {
            float m = mean[j], inv = 1f / MathF.Sqrt(variance[j] + epsilon);
            float s0 = 0, s1 = 0;
            for (long o = j, end = (long)rows * features; o < end; o += features)
            {
                float d = dy[o];
                s0 += d;
                s1 += d * ((x[o] - m) * inv);
            }
            sums[j] = s0;
            sums[features + j] = s1;
        }
    }

    /// <summary>
    /// dx = (dy − sums0/rows − xhat·sums1/rows)·(gamma·invstd) with batch statistics (sums not null),
    /// else dx = dy·(gamma·invstd).
    /// </summary>
    public static void BackwardInput(float* x, float* mean, float* variance, float* gamma, float* dy, float* sums, float* dx, int rows, int features, float epsilon, bool simd)
    {
        if (rows == 0) return;
        int j = 0;
        if (simd)
        {
            var eps = Vector256.Create(epsilon);
            var n = Vector256.Create((float)rows);
            for (; j <= features - W; j += W)
            {
                var m = Vector256.Load(mean + j);
                var inv = Vector256<float>.One / Vector256.Sqrt(Vector256.Load(variance + j) + eps);
                var a = (gamma != null ? Vector256.Load(gamma + j) : Vector256<float>.One) * inv;
                long end = (long)rows * features;
                if (sums == null)
                {
                    for (long o = j; o < end; o += features) Vector256.Store(Vector256.Load(dy + o) * a, dx + o);
                    continue;
                }
                var m0 = Vector256.Load(sums + j) / n;
                var m1 = Vector256.Load(sums + features + j) / n;
                for (long o = j; o < end; o += features)
                {
                    var xh = (Vector256.Load(x + o) - m) * inv;
                    Vector256.Store((Vector256.Load(dy + o) - m0 - xh * m1) * a, dx + o);
                }
            }
        }
        for (; j < features; j++)
        {
            float m = mean[j], inv = 1f / MathF.Sqrt(variance[j] + epsilon);
            float a = (gamma != null ? gamma[j] : 1f) * inv;
            long end = (long)rows * features;
            if (sums == null)
            {
                for (long o = j; o < end; o += features) dx[o] = dy[o] * a;
                continue;
            }
            float m0 = sums[j] / rows, m1 = sums[features + j] / rows;
            for (long o = j; o < end; o += features)
            {
                float xh = (x[o] - m) * inv;
                dx[o] = (dy[o] - m0 - xh * m1) * a;
            }
        }
    }
}
