using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Counts of the top-k and thresholded metrics (weighted when a weights buffer is given; a null pointer tells
// the kernel to count) and the excess weight of the weighted means (kernels/metrics.cu). Fixed launch shapes,
// so a sum is repeatable; unweighted counts are integers and do not depend on the launch shape at all.
public sealed unsafe partial class CudaBackend
{
    private const int MetricThreads = 256;
    private const int MaxThresholdBlocks = 1024;
    private const int TopKChunkRows = 256;

    /// <inheritdoc/>
    /// <remarks>
    /// The rows are cut into chunks of <see cref="TopKChunkRows"/> (a row per thread of a 256-thread block); any
    /// number of blocks count the chunks into scratch (count_top_k_chunks_f32), then one thread adds the chunk
    /// sums in order to acc[index] (add_chunks_f32). The chunks depend on the row count only, so a weighted count
    /// has the same bits at every grid size (an unweighted one is an exact integer anyway).
    /// </remarks>
    public void CountTopK(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int rows, int cols, int k, bool sparse)
    {
        CudaBuffer bp = B(pred), bt = B(target), bacc = B(acc);
        CudaBuffer? bw = weights == null ? null : B(weights);
        long n = RequireMatrix(nameof(CountTopK), rows, cols);
        long targets = sparse ? rows : n;
        if (bp.Length < n) throw TooShort(nameof(CountTopK), nameof(pred), n, bp.Length);
        if (bt.Length < targets) throw TooShort(nameof(CountTopK), nameof(target), targets, bt.Length);
        if (bw != null && bw.Length < rows) throw TooShort(nameof(CountTopK), nameof(weights), rows, bw.Length);
        if ((uint)index >= (uint)bacc.Length) throw new ArgumentOutOfRangeException(nameof(index), $"CountTopK: index {index} is outside an accumulator buffer of {bacc.Length}.");
        if (rows == 0 || cols == 0) return;
        ulong pp = bp.Pointer, pt = bt.Pointer, pw = bw?.Pointer ?? 0UL, pa = bacc.Pointer;
        int s = sparse ? 1 : 0, chunkRows = TopKChunkRows, chunks = (rows + TopKChunkRows - 1) / TopKChunkRows;
        if (chunks > ScratchLength) throw new NotSupportedException($"CountTopK: expected at most {(long)ScratchLength * TopKChunkRows} rows. Received: {rows}.");
        ulong partial = _scratch.Pointer;
        void** args = stackalloc void*[9];
        args[0] = &pp; args[1] = &pt; args[2] = &pw; args[3] = &partial; args[4] = &rows; args[5] = &cols; args[6] = &k; args[7] = &s; args[8] = &chunkRows;
        _device.Launch("count_top_k_chunks_f32", new Dim3((uint)Math.Min(chunks, MaxRowBlocks)), new Dim3(MetricThreads), 0, args);
        args[0] = &partial; args[1] = &chunks; args[2] = &pa; args[3] = &index;
        _device.Launch("add_chunks_f32", new Dim3(1), new Dim3(1), 0, args);
    }

    /// <inheritdoc/>
    /// <remarks>One block per threshold (grid-stride beyond 1024); each block writes only its own four sums.</remarks>
    public void CountThresholds(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int n, int cols, int count, float first, float last)
    {
        CudaBuffer bp = B(pred), bt = B(target), bacc = B(acc);
        CudaBuffer? bw = weights == null ? null : B(weights);
        if (n < 0 || count < 0 || cols < 1 || n % cols != 0)
            throw new ArgumentException($"CountThresholds: expected n >= 0 whole rows of cols >= 1 and count >= 0. Received: n={n}, cols={cols}, count={count}.");
        if (bp.Length < n) throw TooShort(nameof(CountThresholds), nameof(pred), n, bp.Length);
        if (bt.Length < n) throw TooShort(nameof(CountThresholds), nameof(target), n, bt.Length);
        if (bw != null && bw.Length < n / cols) throw TooShort(nameof(CountThresholds), nameof(weights), n / cols, bw.Length);
        if (index < 0 || (long)index + 4L * count > bacc.Length)
            throw new ArgumentOutOfRangeException(nameof(index), $"CountThresholds: slots [{index}, {(long)index + 4L * count}) are outside an accumulator buffer of {bacc.Length}.");
        if (count == 0) return;
        ulong pp = bp.Pointer, pt = bt.Pointer, pw = bw?.Pointer ?? 0UL, pa = bacc.Pointer;
        void** args = stackalloc void*[10];
        args[0] = &pp; args[1] = &pt; args[2] = &pw; args[3] = &pa; args[4] = &index; args[5] = &n; args[6] = &cols; args[7] = &count; args[8] = &first; args[9] = &last;
        _device.Launch("count_thresholds_f32", new Dim3((uint)Math.Min(count, MaxThresholdBlocks)), new Dim3(MetricThreads), 0, args);
    }

    /// <inheritdoc/>
    /// <remarks>One block of 256 threads; thread 0 adds the block's sum to acc[index].</remarks>
    public void AccumulateExcessWeight(DeviceBuffer weights, DeviceBuffer acc, int index, int n)
    {
        CudaBuffer bw = B(weights), bacc = B(acc);
        if (n < 0) throw new ArgumentException($"AccumulateExcessWeight: expected n >= 0. Received: n={n}.", nameof(n));
        if (bw.Length < n) throw TooShort(nameof(AccumulateExcessWeight), nameof(weights), n, bw.Length);
        if ((uint)index >= (uint)bacc.Length) throw new ArgumentOutOfRangeException(nameof(index), $"AccumulateExcessWeight: index {index} is outside an accumulator buffer of {bacc.Length}.");
        if (n == 0) return;
        ulong pw = bw.Pointer, pa = bacc.Pointer;
        void** args = stackalloc void*[4];
        args[0] = &pw; args[1] = &pa; args[2] = &index; args[3] = &n;
        _device.Launch("accumulate_excess_weight_f32", new Dim3(1), new Dim3(MetricThreads), 0, args);
    }

    /// <inheritdoc/>
    /// <remarks>A thread per row (256 per block, grid-stride beyond 1024 blocks); each row summed in column order.</remarks>
    public void RowMetric(RowMetricKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer values, int rows, int cols)
    {
        CudaBuffer bp = B(pred), bt = B(target), bv = B(values);
        long n = RequireMatrix(nameof(RowMetric), rows, cols);
        if (bp.Length < n) throw TooShort(nameof(RowMetric), nameof(pred), n, bp.Length);
        if (bt.Length < n) throw TooShort(nameof(RowMetric), nameof(target), n, bt.Length);
        if (bv.Length < rows) throw TooShort(nameof(RowMetric), nameof(values), rows, bv.Length);
        if (rows == 0) return;
        int k = (int)kind;
        ulong pp = bp.Pointer, pt = bt.Pointer, pv = bv.Pointer;
        void** args = stackalloc void*[6];
        args[0] = &k; args[1] = &pp; args[2] = &pt; args[3] = &pv; args[4] = &rows; args[5] = &cols;
        uint blocks = (uint)Math.Min(((long)rows + MetricThreads - 1) / MetricThreads, MaxThresholdBlocks);
        _device.Launch("row_metric_f32", new Dim3(blocks), new Dim3(MetricThreads), 0, args);
    }

    /// <inheritdoc/>
    /// <remarks>A thread per true class (256 per block); each scans the items in order, so a cell sums as on the CPU.</remarks>
    public void CountConfusionMatrix(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index,
        int rows, int cols, int classes, bool sparsePred, bool sparseTarget, int ignoreClass)
    {
        CudaBuffer bp = B(pred), bt = B(target), bacc = B(acc);
        CudaBuffer? bw = weights == null ? null : B(weights);
        long n = RequireMatrix(nameof(CountConfusionMatrix), rows, cols);
        long targets = sparsePred ? n : sparseTarget ? rows : n;
        if (classes < 1) throw new ArgumentException($"CountConfusionMatrix: expected classes >= 1. Received: {classes}.", nameof(classes));
        if (bp.Length < n) throw TooShort(nameof(CountConfusionMatrix), nameof(pred), n, bp.Length);
        if (bt.Length < targets) throw TooShort(nameof(CountConfusionMatrix), nameof(target), targets, bt.Length);
        if (bw != null && bw.Length < rows) throw TooShort(nameof(CountConfusionMatrix), nameof(weights), rows, bw.Length);
        if (index < 0 || (long)index + (long)classes * classes > bacc.Length)
            throw new ArgumentOutOfRangeException(nameof(index), $"CountConfusionMatrix: slots [{index}, {(long)index + (long)classes * classes}) are outside an accumulator buffer of {bacc.Length}.");
        if (n == 0) return;
        ulong pp = bp.Pointer, pt = bt.Pointer, pw = bw?.Pointer ?? 0UL, pa = bacc.Pointer;
        int sp = sparsePred ? 1 : 0, st = sparseTarget ? 1 : 0;
        void** args = stackalloc void*[11];
        args[0] = &pp; args[1] = &pt; args[2] = &pw; args[3] = &pa; args[4] = &index; args[5] = &rows; args[6] = &cols;
        args[7] = &classes; args[8] = &sp; args[9] = &st; args[10] = &ignoreClass;
        _device.Launch("count_confusion_matrix_f32", new Dim3((uint)((classes + MetricThreads - 1) / MetricThreads)), new Dim3(MetricThreads), 0, args);
    }
}
