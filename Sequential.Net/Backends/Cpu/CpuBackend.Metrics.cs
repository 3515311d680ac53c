namespace SequentialNet.Backends.Cpu;

// Counts of the metrics that are not per-sample means of a loss (top-k, thresholded confusion counts), weighted
// when a weights buffer is given, and the excess weight of the weighted means. Sums run in index order in
// float32; unweighted, every partial sum is an integer, so the result is the exact count.
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void CountTopK(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int rows, int cols, int k, bool sparse)
    {
        RequireRowsAndTargets(nameof(CountTopK), pred, target, rows, cols, sparse);
        RequireIndex(nameof(CountTopK), nameof(index), acc, index);
                float* p = F(pred), t = F(target), w = weights == null ? null : F(weights);
        float hits = 0;
        for (int r = 0; r < rows; r++)
        {
            float* pr = p + (long)r * cols;
            int cls = sparse ? (int)t[r] : ArgMax(t + (long)r * cols, cols);
            if (cls < 0 || cls >= cols || !float.IsFinite(pr[cls])) continue;
            float score = pr[cls];
            int higher = 0;
            for (int j = 0; j < cols; j++) higher += pr[j] > score ? 1 : 0;
            if (higher < k) hits += w == null ? 1f : w[r];
        }
        F(acc)[index] += hits;
    }

    /// <inheritdoc/>
    public void CountThresholds(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int n, int cols, int count, float first, float last)
    {
        if (cols <= 0 && n > 0) throw new ArgumentException($"CountThresholds: expected cols >= 1. Received: cols={cols}.", nameof(cols));
        if (n < 0 || count < 0) throw new ArgumentOutOfRangeException(nameof(n), $"CountThresholds: expected n >= 0 and count >= 0. Received: n={n}, count={count}.");
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), $"CountThresholds: expected index >= 0. Received: {index}.");
        RequireAtLeast(nameof(CountThresholds), nameof(acc), acc, (long)index + 4L * count);
        float* p = F(pred), t = F(target), w = weights == null ? null : F(weights), a = F(acc) + index;
        for (int i = 0; i < count; i++)
        {
            float threshold = ThresholdAt(i, count, first, last);
            float tp = 0, fp = 0, tn = 0, fn = 0;
            for (int e = 0; e < n; e++)
            {
                bool predicted = p[e] > threshold, actual = t[e] != 0f;
                float we = w == null ? 1f : w[e / cols];
                if (predicted) { if (actual) tp += we; else fp += we; }
                else if (actual) fn += we;
                else tn += we;
            }
            a[4 * i] += tp; a[4 * i + 1] += fp; a[4 * i + 2] += tn; a[4 * i + 3] += fn;
        }
    }

    /// <inheritdoc/>
    public void AccumulateExcessWeight(DeviceBuffer weights, DeviceBuffer acc, int index, int n)
    {
        float* w = F(weights);
        float excess = 0;
        for (int i = 0; i < n; i++) excess += w[i] - 1f;
        F(acc)[index] += excess;
    }

    /// <inheritdoc/>
    public void RowMetric(RowMetricKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer values, int rows, int cols)
    {
        float* p = F(pred), t = F(target), v = F(values);
        for (int r = 0; r < rows; r++) v[r] = RowMetricValue(kind, p + (long)r * cols, t + (long)r * cols, cols);
    }

    /// <inheritdoc/>
    public void CountConfusionMatrix(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index,
        int rows, int cols, int classes, bool sparsePred, bool sparseTarget, int ignoreClass)
    {
        float* p = F(pred), t = F(target), w = weights == null ? null : F(weights), a = F(acc) + index;
        int items = sparsePred ? rows * cols : rows;
        for (int i = 0; i < items; i++)
        {
            int row = sparsePred ? i / cols : i;
            int predicted = sparsePred ? (int)p[i] : ArgMax(p + (long)i * cols, cols);
            int actual = sparsePred || sparseTarget ? (int)t[i] : ArgMax(t + (long)i * cols, cols);
            if ((uint)predicted >= (uint)classes || (uint)actual >= (uint)classes || actual == ignoreClass) continue;
            a[actual * classes + predicted] += w == null ? 1f : w[row];
        }
    }

    /// <summary>One row's value, in the float32 operations and order of kernels/metrics.cu's row_metric.</summary>
    private static float RowMetricValue(RowMetricKind kind, float* p, float* t, int cols)
    {
        const float eps = 1e-7f;
        float s = 0f, tt = 0f, pp = 0f;
        for (int j = 0; j < cols; j++)
        {
            float d = p[j] - t[j];
            switch (kind)
            {
                case RowMetricKind.MeanSquaredError: s += d * d; break;
                case RowMetricKind.MeanAbsolutePercentageError: s += MathF.Abs(d / MathF.Max(MathF.Abs(t[j]), eps)); break;
                case RowMetricKind.MeanSquaredLogarithmicError:
                    float l = MathF.Log(MathF.Max(p[j], eps) + 1f) - MathF.Log(MathF.Max(t[j], eps) + 1f);
                    s += l * l; break;
                case RowMetricKind.CosineSimilarity: s += t[j] * p[j]; tt += t[j] * t[j]; pp += p[j] * p[j]; break;
                default: s += d + Softplus(-2f * d) - 0.6931472f; break;          // log 2 in float32
            }
        }
        return kind switch
        {
            RowMetricKind.MeanAbsolutePercentageError => 100f * (s / cols),
            RowMetricKind.CosineSimilarity => s / (MathF.Sqrt(MathF.Max(tt, eps)) * MathF.Sqrt(MathF.Max(pp, eps))),
            _ => s / cols,
        };
    }

    /// <summary>log(1 + eˣ) without overflow: max(x, 0) + log(1 + e^−|x|).</summary>
    private static float Softplus(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));

    /// <summary>Threshold i of <paramref name="count"/>: first, i/(count − 1) inside, last (as kernels/metrics.cu).</summary>
    internal static float ThresholdAt(int i, int count, float first, float last)
        => i == 0 ? first : i == count - 1 ? last : (float)((double)i / (count - 1));
}
