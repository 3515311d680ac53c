using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Softmax and the fused softmax cross-entropy (kernels/softmax.cu): row kernels, a warp or a block per row.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols)
    {
        CudaBuffer bx = B(x), by = B(y);
        long n = RequireMatrix(nameof(Softmax), rows, cols);
        if (bx.Length < n) throw TooShort(nameof(Softmax), nameof(x), n, bx.Length);
        if (by.Length < n) throw TooShort(nameof(Softmax), nameof(y), n, by.Length);
        if (n == 0) return;
        ulong px = bx.Pointer, py = by.Pointer;
        void** args = stackalloc void*[4];
        args[0] = &px; args[1] = &py; args[2] = &rows; args[3] = &cols;
        var (grid, block) = RowShape(rows, cols);
        _device.Launch("softmax_fwd_f32", grid, block, 0, args);
    }

    /// <inheritdoc/>
    public void SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols)
    {
        CudaBuffer by = B(y), bdy = B(dy), bdx = B(dx);
        long n = RequireMatrix(nameof(SoftmaxBackward), rows, cols);
        if (by.Length < n) throw TooShort(nameof(SoftmaxBackward), nameof(y), n, by.Length);
        if (bdy.Length < n) throw TooShort(nameof(SoftmaxBackward), nameof(dy), n, bdy.Length);
        if (bdx.Length < n) throw TooShort(nameof(SoftmaxBackward), nameof(dx), n, bdx.Length);
        if (n == 0) return;
        ulong py = by.Pointer, pdy = bdy.Pointer, pdx = bdx.Pointer;
        void** args = stackalloc void*[5];
        args[0] = &py; args[1] = &pdy; args[2] = &pdx; args[3] = &rows; args[4] = &cols;
        var (grid, block) = RowShape(rows, cols);
        _device.Launch("softmax_bwd_f32", grid, block, 0, args);
    }

    /// <inheritdoc/>
    public void SoftmaxCrossEntropy(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, int rows, int cols, bool sparse, float labelSmoothing)
    {
        CudaBuffer bz = B(logits), bt = B(labels), bl = B(loss);
        long n = RequireMatrix(nameof(SoftmaxCrossEntropy), rows, cols);
        if (bz.Length < n) throw TooShort(nameof(SoftmaxCrossEntropy), nameof(logits), n, bz.Length);
        if (bt.Length < (sparse ? rows : n)) throw TooShort(nameof(SoftmaxCrossEntropy), nameof(labels), sparse ? rows : n, bt.Length);
        if (bl.Length < rows) throw TooShort(nameof(SoftmaxCrossEntropy), nameof(loss), rows, bl.Length);
        if (n == 0) return;
        ulong pz = bz.Pointer, pt = bt.Pointer, pl = bl.Pointer;
        int isSparse = sparse ? 1 : 0;
        void** args = stackalloc void*[7];
        args[0] = &pz; args[1] = &pt; args[2] = &pl; args[3] = &rows; args[4] = &cols; args[5] = &isSparse; args[6] = &labelSmoothing;
        var (grid, block) = RowShape(rows, cols);
        _device.Launch("softmax_ce_fwd_f32", grid, block, 0, args);
    }

    /// <inheritdoc/>
    public void SoftmaxCrossEntropyBackward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols, bool sparse, float labelSmoothing)
    {
        CudaBuffer bz = B(logits), bt = B(labels), bdl = B(dloss), bdz = B(dlogits);
        long n = RequireMatrix(nameof(SoftmaxCrossEntropyBackward), rows, cols);
        if (bz.Length < n) throw TooShort(nameof(SoftmaxCrossEntropyBackward), nameof(logits), n, bz.Length);
        if (bt.Length < (sparse ? rows : n)) throw TooShort(nameof(SoftmaxCrossEntropyBackward), nameof(labels), sparse ? rows : n, bt.Length);
        if (bdl.Length < rows) throw TooShort(nameof(SoftmaxCrossEntropyBackward), nameof(dloss), rows, bdl.Length);
        if (bdz.Length < n) throw TooShort(nameof(SoftmaxCrossEntropyBackward), nameof(dlogits), n, bdz.Length);
        if (n == 0) return;
        ulong pz = bz.Pointer, pt = bt.Pointer, pdl = bdl.Pointer, pdz = bdz.Pointer;
        int isSparse = sparse ? 1 : 0;
        void** args = stackalloc void*[8];
        args[0] = &pz; args[1] = &pt; args[2] = &pdl; args[3] = &pdz; args[4] = &rows; args[5] = &cols; args[6] = &isSparse; args[7] = &labelSmoothing;
        var (grid, block) = RowShape(rows, cols);
        _device.Launch("softmax_ce_bwd_f32", grid, block, 0, args);
    }
}
