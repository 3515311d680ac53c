namespace SequentialNet.Backends.Cpu;

// Per-column sums of F-beta and R² (ClassStatKind), in the float32 operations of kernels/metrics.cu's
// count_class_stats_f32: each column sums its rows in order, so both backends add the same terms in the same order.
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void CountClassStats(ClassStatKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index,
        int rows, int cols, float threshold)
    {
        RequireRowsAndTargets(nameof(CountClassStats), pred, target, rows, cols, sparse: false);
        if (weights != null) RequireAtLeast(nameof(CountClassStats), nameof(weights), weights, rows);
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), $"CountClassStats: expected index >= 0. Received: {index}.");
        RequireAtLeast(nameof(CountClassStats), nameof(acc), acc, (long)index + 4L * cols);
        float* p = F(pred), t = F(target), w = weights == null ? null : F(weights), a = F(acc) + index;
        var sums = new float[4 * cols];      // (cols, 4): this batch's sums, added to acc once as the kernel does
        for (int r = 0; r < rows; r++)
        {
            float* pr = p + (long)r * cols, tr = t + (long)r * cols;
            float wv = w == null ? 1f : w[r];
            float top = kind == ClassStatKind.FBetaTopScore ? RowTop(pr, cols) : 0f;
            for (int c = 0; c < cols; c++)
            {
                float pv = pr[c], tv = tr[c];
                int s = 4 * c;
                if (kind == ClassStatKind.R2)
                {
                    float wt = tv * wv, d = tv - pv;
                    sums[s] += wt; sums[s + 1] += tv * wt; sums[s + 2] += d * d * wv; sums[s + 3] += wv;
                    continue;
                }
                bool on = kind == ClassStatKind.FBetaThreshold ? pv > threshold : pv >= top && MathF.Abs(pv) > 1e-9f;
                float yp = on ? 1f : 0f;
                sums[s] += yp * tv * wv; sums[s + 1] += yp * (1f - tv) * wv; sums[s + 2] += (1f - yp) * tv * wv; sums[s + 3] += tv * wv;
            }
        }
        for (int i = 0; i < sums.Length; i++) a[i] += sums[i];
    }

    /// <summary>The row's largest value, scanning in order with "&gt;" (as the kernel's metrics::row_top).</summary>
    private static float RowTop(float* row, int cols)
    {
        float top = row[0];
        for (int j = 1; j < cols; j++) if (row[j] > top) top = row[j];
        return top;
    }
}
