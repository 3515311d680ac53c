using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Adamax, Lion and Adadelta launchers (kernels/optim.cu): one grid-stride pass each, lr (and Adamax's t) read on the device.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void AdamaxStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer u, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon)
    {
        CudaBuffer bw = B(param), bg = B(grad), bm = B(m), bu = B(u), bh = B(hyper);
        CudaBuffer bc = RequireInt(counters, StateSlots.OptimizerStep, nameof(AdamaxStep));
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(AdamaxStep), nameof(grad), n, bg.Length);
        if (bm.Length < n) throw TooShort(nameof(AdamaxStep), nameof(m), n, bm.Length);
        if (bu.Length < n) throw TooShort(nameof(AdamaxStep), nameof(u), n, bu.Length);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(AdamaxStep), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pg = bg.Pointer, pm = bm.Pointer, pu = bu.Pointer, ph = bh.Pointer, pc = bc.Pointer;
        int lrSlot = StateSlots.LearningRate, stepSlot = StateSlots.OptimizerStep;
        void** args = stackalloc void*[12];
        args[0] = &pw; args[1] = &pg; args[2] = &pm; args[3] = &pu; args[4] = &n; args[5] = &ph; args[6] = &lrSlot;
        args[7] = &pc; args[8] = &stepSlot; args[9] = &beta1; args[10] = &beta2; args[11] = &epsilon;
        _device.Launch("adamax_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void LionStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer hyper, float beta1, float beta2)
    {
        CudaBuffer bw = B(param), bg = B(grad), bm = B(m), bh = B(hyper);
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(LionStep), nameof(grad), n, bg.Length);
        if (bm.Length < n) throw TooShort(nameof(LionStep), nameof(m), n, bm.Length);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(LionStep), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pg = bg.Pointer, pm = bm.Pointer, ph = bh.Pointer;
        int lrSlot = StateSlots.LearningRate;
        void** args = stackalloc void*[8];
        args[0] = &pw; args[1] = &pg; args[2] = &pm; args[3] = &n; args[4] = &ph; args[5] = &lrSlot; args[6] = &beta1; args[7] = &beta2;
        _device.Launch("lion_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void AdadeltaStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer accumulatedGrad, DeviceBuffer accumulatedDelta, DeviceBuffer hyper, float rho, float epsilon)
    {
        CudaBuffer bw = B(param), bg = B(grad), ba = B(accumulatedGrad), bb = B(accumulatedDelta), bh = B(hyper);
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(AdadeltaStep), nameof(grad), n, bg.Length);
        if (ba.Length < n) throw TooShort(nameof(AdadeltaStep), nameof(accumulatedGrad), n, ba.Length);
        if (bb.Length < n) throw TooShort(nameof(AdadeltaStep), nameof(accumulatedDelta), n, bb.Length);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(AdadeltaStep), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pg = bg.Pointer, pa = ba.Pointer, pb = bb.Pointer, ph = bh.Pointer;
        int lrSlot = StateSlots.LearningRate;
        void** args = stackalloc void*[9];
        args[0] = &pw; args[1] = &pg; args[2] = &pa; args[3] = &pb; args[4] = &n; args[5] = &ph; args[6] = &lrSlot; args[7] = &rho; args[8] = &epsilon;
        _device.Launch("adadelta_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }
}
