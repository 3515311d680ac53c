using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Randomness, batch gathering and the device counters (kernels/dropout.cu, gather.cu, state.cu). Everything
// a training step needs (RNG step, cursor, epoch) is read on the device, so the step can be replayed.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void DropoutMask(DeviceBuffer mask, float rate, ulong seed, uint stream, DeviceBuffer counters)
    {
        var bmask = B(mask);
        var bc = RequireInt(counters, StateSlots.OptimizerStep, nameof(DropoutMask));
        int n = bmask.Length;
        if (n == 0) return;
        float keep = 1f / (1f - rate);                  // the CPU backend's expression, so the scale is the same float
        ulong pmask = bmask.Pointer, pc = bc.Pointer;
        int stepSlot = StateSlots.OptimizerStep;
        void** args = stackalloc void*[8];
        args[0] = &pmask; args[1] = &n; args[2] = &rate; args[3] = &keep; args[4] = &seed; args[5] = &stream; args[6] = &pc; args[7] = &stepSlot;
        long groups = ((long)n + 3) / 4;                // one thread per Philox call of four elements
        _device.Launch("dropout_mask_f32", new Dim3(ElementwiseBlocks(groups)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The cursor is only known on the device, so a position outside the pass (a bug upstream, which the
    /// CPU backend reports by throwing) cannot be reported here: such rows are filled with NaN, which the
    /// loss then shows, instead of reading past the data.
    /// </remarks>
    public void GatherRows(DeviceBuffer src, DeviceBuffer dst, int rows, int rowLength, DeviceBuffer counters, int cursorSlot, RowOrder order)
    {
        CudaBuffer bsrc = B(src), bdst = B(dst);
        var bc = RequireInt(counters, cursorSlot, nameof(GatherRows));
        if ((uint)StateSlots.Epoch >= (uint)bc.Length) throw new ArgumentOutOfRangeException(nameof(counters), $"GatherRows: the counters have no epoch slot ({bc.Length} counters).");
        long n = RequireMatrix(nameof(GatherRows), rows, rowLength);
        long sourceRows = (long)order.Start + order.Count;
        if (order.Start < 0 || order.Count < 0) throw new ArgumentOutOfRangeException(nameof(order), $"GatherRows: invalid row range ({order.Start}, {order.Count}).");
        if (bsrc.Length < sourceRows * rowLength) throw TooShort(nameof(GatherRows), nameof(src), sourceRows * rowLength, bsrc.Length);
        if (bdst.Length < n) throw TooShort(nameof(GatherRows), nameof(dst), n, bdst.Length);
        if (n == 0) return;
        ulong psrc = bsrc.Pointer, pdst = bdst.Pointer, pc = bc.Pointer, seed = order.Seed;
        int epochSlot = StateSlots.Epoch, start = order.Start, count = order.Count, shuffled = order.Shuffled ? 1 : 0;
        void** args = stackalloc void*[11];
        args[0] = &psrc; args[1] = &pdst; args[2] = &rows; args[3] = &rowLength; args[4] = &pc; args[5] = &cursorSlot;
        args[6] = &epochSlot; args[7] = &start; args[8] = &count; args[9] = &shuffled; args[10] = &seed;
        // Threads per row: the power of two covering the row (at most 256), rows per block to fill 256 threads.
        uint perRow = rowLength >= 256 ? 256u : Math.Max(1u, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)rowLength));
        uint rowsPerBlock = 256u / perRow;
        uint blocks = (uint)Math.Min(((long)rows + rowsPerBlock - 1) / rowsPerBlock, MaxRowBlocks);
        _device.Launch("gather_rows_f32", new Dim3(blocks), new Dim3(perRow, rowsPerBlock), 0, args);
    }

    /// <inheritdoc/>
    public void AddToCounter(DeviceBuffer counters, int slot, int delta)
    {
        var bc = RequireInt(counters, slot, nameof(AddToCounter));
        ulong pc = bc.Pointer;
        void** args = stackalloc void*[3];
        args[0] = &pc; args[1] = &slot; args[2] = &delta;
        _device.Launch("counter_add_i32", new Dim3(1), new Dim3(1), 0, args);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A one-thread kernel with the value as its argument rather than a host copy: stream-ordered like
    /// every other write of the counters, non-blocking, and safe inside a captured step (a recorded copy
    /// would read a stack address that no longer holds the value at replay).
    /// </remarks>
    public void SetCounter(DeviceBuffer counters, int slot, int value)
    {
        var bc = RequireInt(counters, slot, nameof(SetCounter));
        ulong pc = bc.Pointer;
        void** args = stackalloc void*[3];
        args[0] = &pc; args[1] = &slot; args[2] = &value;
        _device.Launch("counter_set_i32", new Dim3(1), new Dim3(1), 0, args);
    }
}
