namespace SequentialNet.Backends.Cpu;

// Confusion counts of the metrics that are not per-sample means (top-k, thresholded counts).
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void CountTopK(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer acc, int index, int rows, int cols, int k, bool sparse)
    {
        RequireRowsAndTargets(nameof(CountTopK), pred, target, rows, cols, sparse);
        RequireIndex(nameof(CountTopK), nameof(index), acc, index);
        float* p = F(pred), t = F(target);
        int hits = 0;
        for (int r = 0; r < rows; r++)
        {
            float* pr = p + (long)r * cols;
            int cls = sparse ? (int)t[r] : ArgMax(t + (long)r * cols, cols);
            if (cls < 0 || cls >= cols || !float.IsFinite(pr[cls])) continue;
            float score = pr[cls];
            int higher = 0;
            for (int j = 0; j < cols; j++) higher += pr[j] > score ? 1 : 0;
            hits += higher < k ? 1 : 0;
        }
        F(acc)[index] += hits;
    }

    /// <inheritdoc/>
    public void CountThresholds(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer acc, int index, int n, int count, float first, float last)
    {
        if (n < 0 || count < 0) throw new ArgumentOutOfRangeException(nameof(n), $"CountThresholds: expected n >= 0 and count >= 0. Received: n={n}, count={count}.");
        RequireEach(nameof(CountThresholds), n, (nameof(pred), pred), (nameof(target), target));
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), $"CountThresholds: expected index >= 0. Received: {index}.");
        RequireAtLeast(nameof(CountThresholds), nameof(acc), acc, (long)index + 4L * count);
        float* p = F(pred), t = F(target), a = F(acc) + index;
        for (int i = 0; i < count; i++)
        {
            float threshold = ThresholdAt(i, count, first, last);
            int tp = 0, fp = 0, fn = 0;
            for (int e = 0; e < n; e++)
            {
                bool predicted = p[e] > threshold, actual = t[e] != 0f;
                tp += predicted && actual ? 1 : 0;
                fp += predicted && !actual ? 1 : 0;
                fn += !predicted && actual ? 1 : 0;
            }
            a[4 * i] += tp; a[4 * i + 1] += fp; a[4 * i + 2] += n - tp - fp - fn; a[4 * i + 3] += fn;
        }
    }

    /// <summary>Threshold i of <paramref name="count"/>: first, i/(count − 1) inside, last (as kernels/metrics.cu).</summary>
    internal static float ThresholdAt(int i, int count, float first, float last)
        => i == 0 ? first : i == count - 1 ? last : (float)((double)i / (count - 1));
}
