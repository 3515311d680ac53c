using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// log_softmax and its backward (kernels/softmax.cu): row kernels with Softmax's launch shape.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void LogSoftmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols)
        => LaunchRowPair("log_softmax_fwd_f32", nameof(LogSoftmax), x, y, rows, cols);

    /// <inheritdoc/>
    public void LogSoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols)
    {
        CudaBuffer by = B(y), bdy = B(dy), bdx = B(dx);
        long n = RequireMatrix(nameof(LogSoftmaxBackward), rows, cols);
        if (by.Length < n) throw TooShort(nameof(LogSoftmaxBackward), nameof(y), n, by.Length);
        if (bdy.Length < n) throw TooShort(nameof(LogSoftmaxBackward), nameof(dy), n, bdy.Length);
        if (bdx.Length < n) throw TooShort(nameof(LogSoftmaxBackward), nameof(dx), n, bdx.Length);
        if (n == 0) return;
        ulong py = by.Pointer, pdy = bdy.Pointer, pdx = bdx.Pointer;
        void** args = stackalloc void*[5];
        args[0] = &py; args[1] = &pdy; args[2] = &pdx; args[3] = &rows; args[4] = &cols;
        var (grid, block) = RowShape(rows, cols);
        _device.Launch("log_softmax_bwd_f32", grid, block, 0, args);
    }

    /// <summary>One launch of a row kernel <c>(const float* x, float* y, int rows, int cols)</c>.</summary>
    private void LaunchRowPair(string kernel, string who, DeviceBuffer x, DeviceBuffer y, int rows, int cols)
    {
        CudaBuffer bx = B(x), by = B(y);
        long n = RequireMatrix(who, rows, cols);
        if (bx.Length < n) throw TooShort(who, nameof(x), n, bx.Length);
        if (by.Length < n) throw TooShort(who, nameof(y), n, by.Length);
        if (n == 0) return;
        ulong px = bx.Pointer, py = by.Pointer;
        void** args = stackalloc void*[4];
        args[0] = &px; args[1] = &py; args[2] = &rows; args[3] = &cols;
        var (grid, block) = RowShape(rows, cols);
        _device.Launch(kernel, grid, block, 0, args);
    }
}
