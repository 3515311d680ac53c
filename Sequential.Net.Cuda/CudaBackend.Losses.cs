using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Per-row losses, their gradients and accuracy counting (kernels/loss.cu). The kernels take the enums'
// integer values (LossKind, AccuracyKind), which kernels/loss.cu lists.
public sealed unsafe partial class CudaBackend
{
    private const int CountThreads = 256;              // 8 warps, one row per warp at a time

    /// <inheritdoc/>
    public void Loss(LossKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer loss, int rows, int cols, LossParams param)
    {
        CudaBuffer bp = B(pred), bt = B(target), bl = B(loss);
        long n = RequireMatrix(nameof(Loss), rows, cols);
        long targets = kind == LossKind.SparseCategoricalCrossentropy ? rows : n;
        if (bp.Length < n) throw TooShort(nameof(Loss), nameof(pred), n, bp.Length);
        if (bt.Length < targets) throw TooShort(nameof(Loss), nameof(target), targets, bt.Length);
        if (bl.Length < rows) throw TooShort(nameof(Loss), nameof(loss), rows, bl.Length);
        if (n == 0) return;
        int k = (int)kind;
        ulong pp = bp.Pointer, pt = bt.Pointer, pl = bl.Pointer;
        float value = param.Value, gamma = param.Gamma, alpha = param.Alpha;
        int balance = param.ClassBalancing ? 1 : 0;
        void** args = stackalloc void*[10];
        args[0] = &k; args[1] = &pp; args[2] = &pt; args[3] = &pl; args[4] = &rows; args[5] = &cols; args[6] = &value;
        args[7] = &gamma; args[8] = &alpha; args[9] = &balance;
        var (grid, block) = RowShape(rows, cols);
        _device.Launch("loss_fwd_f32", grid, block, 0, args);
    }

    /// <inheritdoc/>
    public void LossBackward(LossKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dpred, int rows, int cols, LossParams param)
    {
        CudaBuffer bp = B(pred), bt = B(target), bdl = B(dloss), bdp = B(dpred);
        long n = RequireMatrix(nameof(LossBackward), rows, cols);
        long targets = kind == LossKind.SparseCategoricalCrossentropy ? rows : n;
        if (bp.Length < n) throw TooShort(nameof(LossBackward), nameof(pred), n, bp.Length);
        if (bt.Length < targets) throw TooShort(nameof(LossBackward), nameof(target), targets, bt.Length);
        if (bdl.Length < rows) throw TooShort(nameof(LossBackward), nameof(dloss), rows, bdl.Length);
        if (bdp.Length < n) throw TooShort(nameof(LossBackward), nameof(dpred), n, bdp.Length);
        if (n == 0) return;
        int k = (int)kind;
        ulong pp = bp.Pointer, pt = bt.Pointer, pdl = bdl.Pointer, pdp = bdp.Pointer;
        float value = param.Value, gamma = param.Gamma, alpha = param.Alpha;
        int balance = param.ClassBalancing ? 1 : 0;
        void** args = stackalloc void*[11];
        args[0] = &k; args[1] = &pp; args[2] = &pt; args[3] = &pdl; args[4] = &pdp; args[5] = &rows; args[6] = &cols; args[7] = &value;
        args[8] = &gamma; args[9] = &alpha; args[10] = &balance;
        var (grid, block) = RowShape(rows, cols);
        _device.Launch("loss_bwd_f32", grid, block, 0, args);
    }

    /// <inheritdoc/>
    /// <remarks>Two passes: per-block partial counts into the scratch buffer, then one block adds them to acc[index].</remarks>
    public void CountCorrect(AccuracyKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int rows, int cols, float threshold)
    {
        CudaBuffer bp = B(pred), bt = B(target), bacc = B(acc);
        CudaBuffer? bw = weights == null ? null : B(weights);
        long n = RequireMatrix(nameof(CountCorrect), rows, cols);
        long targets = kind == AccuracyKind.SparseCategorical ? rows : n;
        if (bp.Length < n) throw TooShort(nameof(CountCorrect), nameof(pred), n, bp.Length);
        if (bt.Length < targets) throw TooShort(nameof(CountCorrect), nameof(target), targets, bt.Length);
        if (bw != null && bw.Length < rows) throw TooShort(nameof(CountCorrect), nameof(weights), rows, bw.Length);
        if ((uint)index >= (uint)bacc.Length) throw new ArgumentOutOfRangeException(nameof(index), $"CountCorrect: index {index} is outside an accumulator buffer of {bacc.Length}.");
        if (rows == 0 || cols == 0) return;
        int blocks = LaunchCountCorrectPartial(kind, bp.Pointer, bt.Pointer, bw?.Pointer ?? 0UL, rows, cols, threshold);
        LaunchSumFinal(_scratch.Pointer, blocks, bacc.Pointer, index, 1f, accumulate: true);
    }

    /// <summary>count_correct_partial_f32: scratch[b] = the weighted correct rows of block b; returns the block count.</summary>
    private int LaunchCountCorrectPartial(AccuracyKind kind, ulong pred, ulong target, ulong weights, int rows, int cols, float threshold)
    {
        const int warps = CountThreads / 32;
        int blocks = (int)Math.Min(((long)rows + warps - 1) / warps, ScratchLength);
        int k = (int)kind;
        ulong pp = pred, pt = target, pw = weights, partial = _scratch.Pointer;
        void** args = stackalloc void*[8];
        args[0] = &k; args[1] = &pp; args[2] = &pt; args[3] = &pw; args[4] = &partial; args[5] = &rows; args[6] = &cols; args[7] = &threshold;
        _device.Launch("count_correct_partial_f32", new Dim3((uint)blocks), new Dim3(CountThreads), 0, args);
        return blocks;
    }
}
