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
        SumRowsInto(bx.Pointer, by.Pointer, rows, cols);
    }

    /// <summary>y(cols) = Σ_rows x(rows, cols) at device addresses (sizes checked by the caller; cols &gt; 0).</summary>
    private void SumRowsInto(ulong x, ulong y, int rows, int cols)
    {
        int chunkRows = ChunkRows(rows, cols), chunks = Chunks(rows, chunkRows);
        ulong px = x, py = chunks == 1 ? y : _scratch.Pointer;
        void** args = stackalloc void*[5];
        args[0] = &px; args[1] = &py; args[2] = &rows; args[3] = &cols; args[4] = &chunkRows;
        // A block sums a tile of 32 columns over one chunk of rows at a time (rows = 0 writes zeros).
        _device.Launch("sum_rows_f32", ChunkGrid(cols, chunks), new Dim3(32, 32), 0, args);
        if (chunks > 1) LaunchSumChunks(_scratch.Pointer, y, chunks, cols, 1f);
    }

    // ---- row-split column reductions (sum_rows_f32, the batch-norm statistics and sums) -------------------

    private const int MinChunkRows = 128;        // 4 rows per thread of a (32, 32) block: below that a split costs more than it brings
    private const int MaxChunks = 1024;

    /// <summary>
    /// Rows per chunk of a column reduction over (rows, width) partials per chunk: at least
    /// <see cref="MinChunkRows"/>, and few enough chunks that their partials fit the scratch buffer. A function
    /// of the sizes only, so the chunks (and the bits of the result) never depend on the grid.
    /// </summary>
    internal static int ChunkRows(int rows, int width)
    {
        int maxChunks = Math.Max(1, Math.Min(MaxChunks, ScratchLength / Math.Max(1, width)));
        return Math.Max(MinChunkRows, (int)(((long)rows + maxChunks - 1) / maxChunks));
    }

    /// <summary>Number of chunks of <paramref name="chunkRows"/> rows (at least one, so rows = 0 still writes zeros).</summary>
    internal static int Chunks(int rows, int chunkRows) => Math.Max(1, (int)(((long)rows + chunkRows - 1) / chunkRows));

    /// <summary>Grid of a row-split column reduction: a block column per 32-column tile, a block row per chunk (grid y walks the rest).</summary>
    private static Dim3 ChunkGrid(int cols, int chunks) => new((uint)((cols + 31) / 32), (uint)Math.Min(chunks, 65535));

    /// <summary>sum_chunks_f32: out[j] = Σ over the chunks, in order, of partial[c·width + j], divided by <paramref name="divisor"/>.</summary>
    private void LaunchSumChunks(ulong partial, ulong output, int chunks, int width, float divisor)
    {
        ulong pp = partial, po = output;
        void** args = stackalloc void*[5];
        args[0] = &pp; args[1] = &po; args[2] = &chunks; args[3] = &width; args[4] = &divisor;
        _device.Launch("sum_chunks_f32", new Dim3(ElementwiseBlocks(width)), new Dim3(ElementwiseThreads), 0, args);
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
