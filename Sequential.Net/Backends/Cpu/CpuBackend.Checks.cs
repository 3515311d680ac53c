namespace SequentialNet.Backends.Cpu;

// Length checks at the public boundary: the kernels write through raw pointers, so a buffer shorter than
// the sizes say would be overwritten past its end (a neighbouring buffer, silently). The CUDA backend
// checks the same conditions.
public sealed unsafe partial class CpuBackend
{
    /// <summary>rows·cols after checking both are non-negative and the product fits an int.</summary>
    private static long RequireMatrix(string who, int rows, int cols)
    {
        long n = (long)rows * cols;
        if (rows < 0 || cols < 0 || n > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(rows), $"{who}: expected rows >= 0 and cols >= 0 with rows·cols <= {int.MaxValue}. Received: rows={rows}, cols={cols}.");
        return n;
    }

    /// <summary>Checks <paramref name="index"/> addresses an element of <paramref name="buffer"/>.</summary>
    private static void RequireIndex(string who, string name, DeviceBuffer buffer, int index)
    {
        if ((uint)index >= (uint)buffer.Length)
            throw new ArgumentOutOfRangeException(name, $"{who}: expected {name} in [0, {buffer.Length}) (the buffer's length). Received: {index}.");
    }

    /// <summary>Checks every buffer of an elementwise pass over <paramref name="n"/> elements.</summary>
    private static void RequireEach(string who, long n, params ReadOnlySpan<(string Name, DeviceBuffer Buffer)> buffers)
    {
        foreach (var (name, buffer) in buffers) RequireAtLeast(who, name, buffer, n);
    }

    /// <summary>Checks the learning-rate slot of the hyper-parameter block.</summary>
    private static void RequireHyper(string who, DeviceBuffer hyper, int slot = StateSlots.LearningRate)
        => RequireAtLeast(who, nameof(hyper), hyper, slot + 1L);
}
