using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Per-column sums of F-beta and R² (kernels/metrics.cu, count_class_stats_f32): a thread per column scans
// the rows in order, so the sums do not depend on the launch shape and need no atomics.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void CountClassStats(ClassStatKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index,
        int rows, int cols, float threshold)
    {
        CudaBuffer bp = B(pred), bt = B(target), bacc = B(acc);
        CudaBuffer? bw = weights == null ? null : B(weights);
        long n = RequireMatrix(nameof(CountClassStats), rows, cols);
        if (bp.Length < n) throw TooShort(nameof(CountClassStats), nameof(pred), n, bp.Length);
        if (bt.Length < n) throw TooShort(nameof(CountClassStats), nameof(target), n, bt.Length);
        if (bw != null && bw.Length < rows) throw TooShort(nameof(CountClassStats), nameof(weights), rows, bw.Length);
        if (index < 0 || (long)index + 4L * cols > bacc.Length)
            throw new ArgumentOutOfRangeException(nameof(index), $"CountClassStats: slots [{index}, {(long)index + 4L * cols}) are outside an accumulator buffer of {bacc.Length}.");
        if (n == 0) return;
        ulong pp = bp.Pointer, pt = bt.Pointer, pw = bw?.Pointer ?? 0UL, pa = bacc.Pointer;
        int k = (int)kind;
        void** args = stackalloc void*[9];
        args[0] = &k; args[1] = &pp; args[2] = &pt; args[3] = &pw; args[4] = &pa; args[5] = &index; args[6] = &rows; args[7] = &cols; args[8] = &threshold;
        _device.Launch("count_class_stats_f32", new Dim3((uint)((cols + MetricThreads - 1) / MetricThreads)), new Dim3(MetricThreads), 0, args);
    }
}
