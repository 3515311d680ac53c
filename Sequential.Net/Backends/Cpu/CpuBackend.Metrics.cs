namespace SequentialNet.Backends.Cpu;

// Counts of the metrics that are not per-sample means of a loss (top-k, thresholded confusion counts), weighted
// when a weights buffer is given, and the excess weight of the weighted means. Sums run in index order in
// float32; unweighted, every partial sum is an integer, so the result is the exact count.
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void CountTopK(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int rows, int cols, int k, bool sparse)
    {
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

    /// <summary>Threshold i of <paramref name="count"/>: first, i/(count − 1) inside, last (as kernels/metrics.cu).</summary>
    internal static float ThresholdAt(int i, int count, float first, float last)
        => i == 0 ? first : i == count - 1 ? last : (float)((double)i / (count - 1));
}
