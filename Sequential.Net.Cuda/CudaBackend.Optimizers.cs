using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Optimizer steps over the flat parameter buffer (kernels/optim.cu): one fused grid-stride pass each,
// with the learning rate (and Adam's step) read on the device so a captured step replays correctly.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon)
    {
        CudaBuffer bw = B(param), bg = B(grad), bm = B(m), bv = B(v), bh = B(hyper);
        CudaBuffer bc = RequireInt(counters, StateSlots.OptimizerStep, nameof(AdamStep));
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(AdamStep), nameof(grad), n, bg.Length);
        if (bm.Length < n) throw TooShort(nameof(AdamStep), nameof(m), n, bm.Length);
        if (bv.Length < n) throw TooShort(nameof(AdamStep), nameof(v), n, bv.Length);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(AdamStep), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pg = bg.Pointer, pm = bm.Pointer, pv = bv.Pointer, ph = bh.Pointer, pc = bc.Pointer;
        int lrSlot = StateSlots.LearningRate, stepSlot = StateSlots.OptimizerStep;
        void** args = stackalloc void*[12];
        args[0] = &pw; args[1] = &pg; args[2] = &pm; args[3] = &pv; args[4] = &n; args[5] = &ph; args[6] = &lrSlot;
        args[7] = &pc; args[8] = &stepSlot; args[9] = &beta1; args[10] = &beta2; args[11] = &epsilon;
        _device.Launch("adam_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer velocity, DeviceBuffer hyper, float momentum, bool nesterov)
    {
        CudaBuffer bw = B(param), bg = B(grad), bvel = B(velocity), bh = B(hyper);
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(SgdStep), nameof(grad), n, bg.Length);
        if (momentum != 0f && bvel.Length < n) throw TooShort(nameof(SgdStep), nameof(velocity), n, bvel.Length);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(SgdStep), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pg = bg.Pointer, pvel = bvel.Pointer, ph = bh.Pointer;
        int lrSlot = StateSlots.LearningRate, isNesterov = nesterov ? 1 : 0;
        void** args = stackalloc void*[8];
        args[0] = &pw; args[1] = &pg; args[2] = &pvel; args[3] = &n; args[4] = &ph; args[5] = &lrSlot; args[6] = &momentum; args[7] = &isNesterov;
        _device.Launch("sgd_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void RmspropStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer velocity, DeviceBuffer momentumBuffer, DeviceBuffer averageGradient, DeviceBuffer hyper, float rho, float momentum, float epsilon, bool centered)
    {
        CudaBuffer bw = B(param), bg = B(grad), bv = B(velocity), bm = B(momentumBuffer), ba = B(averageGradient), bh = B(hyper);
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(RmspropStep), nameof(grad), n, bg.Length);
        if (bv.Length < n) throw TooShort(nameof(RmspropStep), nameof(velocity), n, bv.Length);
        if (momentum > 0f && bm.Length < n) throw TooShort(nameof(RmspropStep), nameof(momentumBuffer), n, bm.Length);
        if (centered && ba.Length < n) throw TooShort(nameof(RmspropStep), nameof(averageGradient), n, ba.Length);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(RmspropStep), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pg = bg.Pointer, pv = bv.Pointer, pm = bm.Pointer, pa = ba.Pointer, ph = bh.Pointer;
        int lrSlot = StateSlots.LearningRate, isCentered = centered ? 1 : 0;
        void** args = stackalloc void*[12];
        args[0] = &pw; args[1] = &pg; args[2] = &pv; args[3] = &pm; args[4] = &pa; args[5] = &n; args[6] = &ph; args[7] = &lrSlot;
        args[8] = &rho; args[9] = &momentum; args[10] = &epsilon; args[11] = &isCentered;
        _device.Launch("rmsprop_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void AdagradStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer accumulator, DeviceBuffer hyper, float epsilon)
    {
        CudaBuffer bw = B(param), bg = B(grad), ba = B(accumulator), bh = B(hyper);
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(AdagradStep), nameof(grad), n, bg.Length);
        if (ba.Length < n) throw TooShort(nameof(AdagradStep), nameof(accumulator), n, ba.Length);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(AdagradStep), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pg = bg.Pointer, pa = ba.Pointer, ph = bh.Pointer;
        int lrSlot = StateSlots.LearningRate;
        void** args = stackalloc void*[7];
        args[0] = &pw; args[1] = &pg; args[2] = &pa; args[3] = &n; args[4] = &ph; args[5] = &lrSlot; args[6] = &epsilon;
        _device.Launch("adagrad_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }
}
