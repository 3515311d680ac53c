using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Batch normalization (kernels/batchnorm.cu). The column reductions give each block one tile of 32 columns
// and one chunk of rows and reduce it in a fixed tree, then add the chunks in order (no atomics: the same
// input gives the same bits every run, at every grid size); the
// normalize and dx kernels are flat grid-stride loops.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void BatchNormStatistics(DeviceBuffer x, DeviceBuffer stats, int rows, int features)
    {
        CudaBuffer bx = B(x), bs = B(stats);
        long n = RequireMatrix(nameof(BatchNormStatistics), rows, features);
        if (bx.Length < n) throw TooShort(nameof(BatchNormStatistics), nameof(x), n, bx.Length);
        if (bs.Length < 2L * features) throw TooShort(nameof(BatchNormStatistics), nameof(stats), 2L * features, bs.Length);
        if (features == 0) return;
        ulong px = bx.Pointer, ps = bs.Pointer;
        int chunkRows = ChunkRows(rows, features), chunks = Chunks(rows, chunkRows);
        if (chunks == 1)
        {
            void** args = stackalloc void*[4];
            args[0] = &px; args[1] = &ps; args[2] = &rows; args[3] = &features;
            _device.Launch("batchnorm_stats_f32", ColumnTiles(features), new Dim3(32, 32), 0, args);
            return;
        }
        // Split over the rows: the chunks' sums of x give the mean, then their sums of (x - mean)^2 the variance.
        ulong variance = ps + (ulong)features * sizeof(float);
        LaunchColumnPartial(px, 0, rows, features, chunkRows, chunks);
        LaunchSumChunks(_scratch.Pointer, ps, chunks, features, rows);
        LaunchColumnPartial(px, ps, rows, features, chunkRows, chunks);
        LaunchSumChunks(_scratch.Pointer, variance, chunks, features, rows);
    }

    /// <summary>batchnorm_column_partial_f32: scratch[c·features + col] = chunk c's Σx (mean = 0) or Σ(x − mean)².</summary>
    private void LaunchColumnPartial(ulong x, ulong mean, int rows, int features, int chunkRows, int chunks)
    {
        ulong px = x, pm = mean, partial = _scratch.Pointer;
        void** args = stackalloc void*[6];
        args[0] = &px; args[1] = &pm; args[2] = &partial; args[3] = &rows; args[4] = &features; args[5] = &chunkRows;
        _device.Launch("batchnorm_column_partial_f32", ChunkGrid(features, chunks), new Dim3(32, 32), 0, args);
    }

    /// <inheritdoc/>
    public void BatchNormForward(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, DeviceBuffer? beta, DeviceBuffer y, int rows, int features, float epsilon)
    {
        CudaBuffer bx = B(x), by = B(y);
        long n = RequireMatrix(nameof(BatchNormForward), rows, features);
        if (bx.Length < n) throw TooShort(nameof(BatchNormForward), nameof(x), n, bx.Length);
        if (by.Length < n) throw TooShort(nameof(BatchNormForward), nameof(y), n, by.Length);
        ulong pm = FeatureRow(nameof(BatchNormForward), nameof(mean), mean, features, optional: false), pv = FeatureRow(nameof(BatchNormForward), nameof(variance), variance, features, optional: false);
        ulong pg = FeatureRow(nameof(BatchNormForward), nameof(gamma), gamma, features), pb = FeatureRow(nameof(BatchNormForward), nameof(beta), beta, features);
        if (n == 0) return;
        ulong px = bx.Pointer, py = by.Pointer;
        void** args = stackalloc void*[9];
        args[0] = &px; args[1] = &pm; args[2] = &pv; args[3] = &pg; args[4] = &pb; args[5] = &py;
        args[6] = &rows; args[7] = &features; args[8] = &epsilon;
        _device.Launch("batchnorm_fwd_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void BatchNormBackwardReduce(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer dy, DeviceBuffer sums, int rows, int features, float epsilon)
    {
        CudaBuffer bx = B(x), bdy = B(dy), bs = B(sums);
        long n = RequireMatrix(nameof(BatchNormBackwardReduce), rows, features);
        if (bx.Length < n) throw TooShort(nameof(BatchNormBackwardReduce), nameof(x), n, bx.Length);
        if (bdy.Length < n) throw TooShort(nameof(BatchNormBackwardReduce), nameof(dy), n, bdy.Length);
        if (bs.Length < 2L * features) throw TooShort(nameof(BatchNormBackwardReduce), nameof(sums), 2L * features, bs.Length);
        ulong pm = FeatureRow(nameof(BatchNormBackwardReduce), nameof(mean), mean, features, optional: false), pv = FeatureRow(nameof(BatchNormBackwardReduce), nameof(variance), variance, features, optional: false);
        if (features == 0) return;
        int chunkRows = ChunkRows(rows, 2 * features), chunks = Chunks(rows, chunkRows);
        ulong px = bx.Pointer, pdy = bdy.Pointer, ps = chunks == 1 ? bs.Pointer : _scratch.Pointer;
        void** args = stackalloc void*[9];
        args[0] = &px; args[1] = &pm; args[2] = &pv; args[3] = &pdy; args[4] = &ps;
        args[5] = &rows; args[6] = &features; args[7] = &epsilon; args[8] = &chunkRows;
        _device.Launch("batchnorm_bwd_reduce_f32", ChunkGrid(features, chunks), new Dim3(32, 32), 0, args);
        if (chunks > 1) LaunchSumChunks(_scratch.Pointer, bs.Pointer, chunks, 2 * features, 1f);
    }

    /// <inheritdoc/>
    public void BatchNormBackwardInput(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, DeviceBuffer dy, DeviceBuffer? sums, DeviceBuffer dx,
        int rows, int features, float epsilon, bool batchStatistics)
    {
        CudaBuffer bx = B(x), bdy = B(dy), bdx = B(dx);
        long n = RequireMatrix(nameof(BatchNormBackwardInput), rows, features);
        if (bx.Length < n) throw TooShort(nameof(BatchNormBackwardInput), nameof(x), n, bx.Length);
        if (bdy.Length < n) throw TooShort(nameof(BatchNormBackwardInput), nameof(dy), n, bdy.Length);
        if (bdx.Length < n) throw TooShort(nameof(BatchNormBackwardInput), nameof(dx), n, bdx.Length);
        ulong pm = FeatureRow(nameof(BatchNormBackwardInput), nameof(mean), mean, features, optional: false), pv = FeatureRow(nameof(BatchNormBackwardInput), nameof(variance), variance, features, optional: false);
        ulong pg = FeatureRow(nameof(BatchNormBackwardInput), nameof(gamma), gamma, features), ps = 0;
        if (batchStatistics)
        {
            CudaBuffer bs = B(sums ?? throw new ArgumentNullException(nameof(sums), "BatchNormBackwardInput: batch statistics need the sums of BatchNormBackwardReduce."));
            if (bs.Length < 2L * features) throw TooShort(nameof(BatchNormBackwardInput), nameof(sums), 2L * features, bs.Length);
            ps = bs.Pointer;
        }
        if (n == 0) return;
        ulong px = bx.Pointer, pdy = bdy.Pointer, pdx = bdx.Pointer;
        void** args = stackalloc void*[10];
        args[0] = &px; args[1] = &pm; args[2] = &pv; args[3] = &pg; args[4] = &pdy; args[5] = &ps; args[6] = &pdx;
        args[7] = &rows; args[8] = &features; args[9] = &epsilon;
        _device.Launch("batchnorm_bwd_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <summary>One block per tile of 32 feature columns (the column reductions have no grid-stride loop).</summary>
    private static Dim3 ColumnTiles(int features) => new((uint)((features + 31) / 32));

    /// <summary>The device pointer of a (features) row, or 0 for an absent optional one (null).</summary>
    private static ulong FeatureRow(string who, string name, DeviceBuffer? row, int features, bool optional = true)
    {
        if (row == null) return optional ? 0UL : throw new ArgumentNullException(name, $"{who}: {name} is required.");
        CudaBuffer b = B(row);
        if (b.Length < features) throw TooShort(who, name, features, b.Length);
        return b.Pointer;
    }
}
