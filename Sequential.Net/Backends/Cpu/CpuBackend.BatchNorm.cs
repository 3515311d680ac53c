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
/// The CPU kernels of batch normalization. They walk x row by row (contiguous, Vector256 over the columns
/// with a scalar tail) and keep the per-feature constants (1/√(var + ε) folded with γ, the means of the
/// backward) in a per-thread scratch row, computed once per call, so nothing is allocated after a thread's
/// first call with that many features. Column reductions accumulate in row order into the output row
/// itself: deterministic. An element gets the same float operations in the vector and the scalar path (no
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

    /// <summary>stats(2, features) = (column means; biased column variances) of x(rows, features): a pass for the sums, one for the squared deviations.</summary>
    public static void Statistics(float* x, float* stats, int rows, int features, bool simd)
    {
        float* mean = stats, variance = stats + features;
        new Span<float>(stats, 2 * features).Clear();
        if (rows == 0) return;
        for (int r = 0; r < rows; r++)
        {
            float* row = x + (long)r * features;
            int j = 0;
            if (simd)
                for (; j <= features - W; j += W) Vector256.Store(Vector256.Load(mean + j) + Vector256.Load(row + j), mean + j);
            for (; j < features; j++) mean[j] += row[j];
        }
        for (int j = 0; j < features; j++) mean[j] /= rows;
        for (int r = 0; r < rows; r++)
        {
            float* row = x + (long)r * features;
            int j = 0;
            if (simd)
                for (; j <= features - W; j += W)
                {
                    var d = Vector256.Load(row + j) - Vector256.Load(mean + j);
                    Vector256.Store(Vector256.Load(variance + j) + d * d, variance + j);
                }
            for (; j < features; j++)
            {
                float d = row[j] - mean[j];
                variance[j] += d * d;
            }
        }
        for (int j = 0; j < features; j++) variance[j] /= rows;
    }

    /// <summary>1/√(variance + ε) per feature.</summary>
    private static float InvStd(float variance, float epsilon) => 1f / MathF.Sqrt(variance + epsilon);

    /// <summary>y = (x − mean)·a + b with a = gamma·invstd and b = beta per column; gamma/beta null mean 1/0.</summary>
    public static void Forward(float* x, float* mean, float* variance, float* gamma, float* beta, float* y, int rows, int features, float epsilon, bool simd)
    {
        float* a = Scratch(2 * features), b = a + features;
        for (int j = 0; j < features; j++)
        {
            a[j] = (gamma != null ? gamma[j] : 1f) * InvStd(variance[j], epsilon);
            b[j] = beta != null ? beta[j] : 0f;
        }
        for (int r = 0; r < rows; r++)
        {
            long o = (long)r * features;
            int j = 0;
            if (simd)
                for (; j <= features - W; j += W)
                    Vector256.Store((Vector256.Load(x + o + j) - Vector256.Load(mean + j)) * Vector256.Load(a + j) + Vector256.Load(b + j), y + o + j);
            for (; j < features; j++) y[o + j] = (x[o + j] - mean[j]) * a[j] + b[j];
        }
    }

    /// <summary>sums(2, features) = (Σ_rows dy; Σ_rows dy·xhat) per column, xhat = (x − mean)·invstd.</summary>
    public static void BackwardReduce(float* x, float* mean, float* variance, float* dy, float* sums, int rows, int features, float epsilon, bool simd)
    {
        float* inv = Scratch(features), s0 = sums, s1 = sums + features;
        for (int j = 0; j < features; j++) inv[j] = InvStd(variance[j], epsilon);
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
        for (int j = 0; j < features; j++)
        {
            float inv = InvStd(variance[j], epsilon);
            a[j] = (gamma != null ? gamma[j] : 1f) * inv;
            if (sums == null) continue;
            m0[j] = sums[j] / rows;
            k[j] = inv * (sums[features + j] / rows);
        }
        for (int r = 0; r < rows; r++)
        {
            long o = (long)r * features;
            int j = 0;
            if (sums == null)
            {
                if (simd)
                    for (; j <= features - W; j += W) Vector256.Store(Vector256.Load(dy + o + j) * Vector256.Load(a + j), dx + o + j);
                for (; j < features; j++) dx[o + j] = dy[o + j] * a[j];
                continue;
            }
            if (simd)
                for (; j <= features - W; j += W)
                {
                    var centered = Vector256.Load(x + o + j) - Vector256.Load(mean + j);
                    Vector256.Store((Vector256.Load(dy + o + j) - Vector256.Load(m0 + j) - centered * Vector256.Load(k + j)) * Vector256.Load(a + j), dx + o + j);
                }
            for (; j < features; j++) dx[o + j] = (dy[o + j] - m0[j] - (x[o + j] - mean[j]) * k[j]) * a[j];
        }
    }
}
