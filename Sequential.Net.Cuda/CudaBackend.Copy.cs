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

    /// <inheritdoc/>
    public void Permute(DeviceBuffer src, DeviceBuffer dst, ReadOnlySpan<int> dims, ReadOnlySpan<int> perm)
    {
        CudaBuffer s = B(src), d = B(dst);
        Span<int> strides = stackalloc int[StridedCopy.MaxPermuteRank], outDims = stackalloc int[StridedCopy.MaxPermuteRank];
        int n = StridedCopy.CheckPermute(s.Length, d.Length, dims, perm, strides, outDims);
        ulong ps = s.Pointer, pd = d.Pointer;
        int s0 = strides[0], s1 = strides[1], s2 = strides[2], s3 = strides[3], s4 = strides[4];
        int d0 = outDims[0], d1 = outDims[1], d2 = outDims[2], d3 = outDims[3], d4 = outDims[4];
        void** args = stackalloc void*[13];
        args[0] = &ps; args[1] = &pd; args[2] = &n;
        args[3] = &s0; args[4] = &s1; args[5] = &s2; args[6] = &s3; args[7] = &s4;
        args[8] = &d0; args[9] = &d1; args[10] = &d2; args[11] = &d3; args[12] = &d4;
        _device.Launch("permute_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }
}
