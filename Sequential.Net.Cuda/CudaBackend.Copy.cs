using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Strided copies (kernels/gather.cu copy_columns_f32): Concatenate's forward and its gradient.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void CopyColumns(DeviceBuffer src, DeviceBuffer dst, int rows, int cols, int srcStride, int srcOffset, int dstStride, int dstOffset)
    {
        CudaBuffer s = B(src), d = B(dst);
        StridedCopy.Check(nameof(CopyColumns), s.Length, d.Length, rows, cols, srcStride, srcOffset, dstStride, dstOffset);
        int n = rows * cols;
        if (n == 0) return;
        ulong ps = s.Pointer, pd = d.Pointer;
        void** args = stackalloc void*[8];
        args[0] = &ps; args[1] = &pd; args[2] = &rows; args[3] = &cols;
        args[4] = &srcStride; args[5] = &srcOffset; args[6] = &dstStride; args[7] = &dstOffset;
        _device.Launch("copy_columns_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }
}
