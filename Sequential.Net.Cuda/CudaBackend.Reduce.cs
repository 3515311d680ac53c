using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Deterministic reductions (kernels/reduce.cu): no float atomics, and every launch shape is a function of
// the sizes alone, so the same input gives the same bits on every run.
public sealed unsafe partial class CudaBackend
{
    private const int SumThreads = 256;
    private const int SinglePassLimit = 16384;       // up to here one block sums everything (64 elements per thread)
    private const int PartialElementsPerBlock = SumThreads * 16;

    /// <inheritdoc/>
    public void SumRows(DeviceBuffer x, DeviceBuffer y, int rows, int cols)
    {
        CudaBuffer bx = B(x), by = B(y);
        long n = RequireMatrix(nameof(SumRows), rows, cols);
        if (bx.Length < n) throw TooShort(nameof(SumRows), nameof(x), n, bx.Length);
        if (by.Length < cols) throw TooShort(nameof(SumRows), nameof(y), cols, by.Length);
        if (cols == 0) return;
        ulong px = bx.Pointer, py = by.Pointer;
        void** args = stackalloc void*[4];
        args[0] = &px; args[1] = &py; args[2] = &rows; args[3] = &cols;
        // A block sums a tile of 32 columns over all rows (rows = 0 writes zeros).
        _device.Launch("sum_rows_f32", new Dim3((uint)((cols + 31) / 32)), new Dim3(32, 32), 0, args);
    }

    /// <inheritdoc/>
    public void SumAll(DeviceBuffer x, DeviceBuffer y, float scale)
    {
        CudaBuffer bx = B(x), by = B(y);
        if (by.Length < 1) throw TooShort(nameof(SumAll), nameof(y), 1, by.Length);
        SumInto(bx, by, 0, scale, accumulate: false);
    }

    /// <inheritdoc/>
    public void AccumulateSum(DeviceBuffer x, DeviceBuffer acc, int index, float scale)
    {
        CudaBuffer bx = B(x), bacc = B(acc);
        if ((uint)index >= (uint)bacc.Length) throw new ArgumentOutOfRangeException(nameof(index), $"AccumulateSum: index {index} is outside an accumulator buffer of {bacc.Length}.");
        SumInto(bx, bacc, index, scale, accumulate: true);
    }

    /// <summary>
    /// out[index] = scale·Σx (or += when accumulating): one block for short inputs, else per-block partials
    /// into the scratch buffer and one block over those.
    /// </summary>
    private void SumInto(CudaBuffer x, CudaBuffer output, int index, float scale, bool accumulate)
    {
        int n = x.Length;
        if (n <= SinglePassLimit)
        {
            LaunchSumFinal(x.Pointer, n, output.Pointer, index, scale, accumulate);
            return;
        }
        int blocks = LaunchSumPartial(x.Pointer, n);
        LaunchSumFinal(_scratch.Pointer, blocks, output.Pointer, index, scale, accumulate);
    }

    /// <summary>sum_partial_f32: scratch[b] = the sum of block b's grid-stride share of x; returns the block count.</summary>
    private int LaunchSumPartial(ulong x, int n)
    {
        int blocks = (int)Math.Min(((long)n + PartialElementsPerBlock - 1) / PartialElementsPerBlock, ScratchLength);
        ulong px = x, partial = _scratch.Pointer;
        void** args = stackalloc void*[3];
        args[0] = &px; args[1] = &n; args[2] = &partial;
        _device.Launch("sum_partial_f32", new Dim3((uint)blocks), new Dim3(SumThreads), 0, args);
        return blocks;
    }

    /// <summary>sum_final_f32: one block; out[index] = scale·Σ x[0..n), or += when <paramref name="accumulate"/>.</summary>
    private void LaunchSumFinal(ulong x, int n, ulong output, int index, float scale, bool accumulate)
    {
        ulong px = x, pout = output;
        int add = accumulate ? 1 : 0;
        void** args = stackalloc void*[6];
        args[0] = &px; args[1] = &n; args[2] = &pout; args[3] = &index; args[4] = &scale; args[5] = &add;
        _device.Launch("sum_final_f32", new Dim3(1), new Dim3(SumThreads), 0, args);
    }
}
