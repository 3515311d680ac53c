using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Confusion counts of the top-k and thresholded metrics (kernels/metrics.cu): integer counts, so the
// result does not depend on the launch shape.
public sealed unsafe partial class CudaBackend
{
    private const int MetricThreads = 256;
    private const int MaxThresholdBlocks = 1024;

    /// <inheritdoc/>
    /// <remarks>One block of 256 threads, a thread per row; thread 0 adds the block's count to acc[index].</remarks>
    public void CountTopK(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer acc, int index, int rows, int cols, int k, bool sparse)
    {
        CudaBuffer bp = B(pred), bt = B(target), bacc = B(acc);
        long n = RequireMatrix(nameof(CountTopK), rows, cols);
        long targets = sparse ? rows : n;
        if (bp.Length < n) throw TooShort(nameof(CountTopK), nameof(pred), n, bp.Length);
        if (bt.Length < targets) throw TooShort(nameof(CountTopK), nameof(target), targets, bt.Length);
        if ((uint)index >= (uint)bacc.Length) throw new ArgumentOutOfRangeException(nameof(index), $"CountTopK: index {index} is outside an accumulator buffer of {bacc.Length}.");
        if (rows == 0 || cols == 0) return;
        ulong pp = bp.Pointer, pt = bt.Pointer, pa = bacc.Pointer;
        int s = sparse ? 1 : 0;
        void** args = stackalloc void*[8];
        args[0] = &pp; args[1] = &pt; args[2] = &pa; args[3] = &index; args[4] = &rows; args[5] = &cols; args[6] = &k; args[7] = &s;
        _device.Launch("count_top_k_f32", new Dim3(1), new Dim3(MetricThreads), 0, args);
    }

    /// <inheritdoc/>
    /// <remarks>One block per threshold (grid-stride beyond 1024); each block writes only its own four counts.</remarks>
    public void CountThresholds(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer acc, int index, int n, int count, float first, float last)
    {
        CudaBuffer bp = B(pred), bt = B(target), bacc = B(acc);
        if (n < 0 || count < 0) throw new ArgumentException($"CountThresholds: expected n >= 0 and count >= 0. Received: n={n}, count={count}.");
        if (bp.Length < n) throw TooShort(nameof(CountThresholds), nameof(pred), n, bp.Length);
        if (bt.Length < n) throw TooShort(nameof(CountThresholds), nameof(target), n, bt.Length);
        if (index < 0 || (long)index + 4L * count > bacc.Length)
            throw new ArgumentOutOfRangeException(nameof(index), $"CountThresholds: slots [{index}, {(long)index + 4L * count}) are outside an accumulator buffer of {bacc.Length}.");
        if (count == 0) return;
        ulong pp = bp.Pointer, pt = bt.Pointer, pa = bacc.Pointer;
        void** args = stackalloc void*[8];
        args[0] = &pp; args[1] = &pt; args[2] = &pa; args[3] = &index; args[4] = &n; args[5] = &count; args[6] = &first; args[7] = &last;
        _device.Launch("count_thresholds_f32", new Dim3((uint)Math.Min(count, MaxThresholdBlocks)), new Dim3(MetricThreads), 0, args);
    }
}
