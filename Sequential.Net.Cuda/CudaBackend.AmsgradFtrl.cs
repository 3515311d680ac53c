using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Adam with amsgrad and Ftrl launchers (kernels/optim.cu): one grid-stride pass each, lr (and Adam's t) read on the device.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void AdamAmsgradStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer vHat, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon)
    {
        CudaBuffer bw = B(param), bg = B(grad), bm = B(m), bv = B(v), bvh = B(vHat), bh = B(hyper);
        CudaBuffer bc = RequireInt(counters, StateSlots.OptimizerStep, nameof(AdamAmsgradStep));
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(AdamAmsgradStep), nameof(grad), n, bg.Length);
        if (bm.Length < n) throw TooShort(nameof(AdamAmsgradStep), nameof(m), n, bm.Length);
        if (bv.Length < n) throw TooShort(nameof(AdamAmsgradStep), nameof(v), n, bv.Length);
        if (bvh.Length < n) throw TooShort(nameof(AdamAmsgradStep), nameof(vHat), n, bvh.Length);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(AdamAmsgradStep), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pg = bg.Pointer, pm = bm.Pointer, pv = bv.Pointer, pvh = bvh.Pointer, ph = bh.Pointer, pc = bc.Pointer;
        int lrSlot = StateSlots.LearningRate, stepSlot = StateSlots.OptimizerStep;
        void** args = stackalloc void*[13];
        args[0] = &pw; args[1] = &pg; args[2] = &pm; args[3] = &pv; args[4] = &pvh; args[5] = &n; args[6] = &ph; args[7] = &lrSlot;
        args[8] = &pc; args[9] = &stepSlot; args[10] = &beta1; args[11] = &beta2; args[12] = &epsilon;
        _device.Launch("adam_amsgrad_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void FtrlStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer accumulator, DeviceBuffer linear, DeviceBuffer hyper,
        float learningRatePower, float l1, float l2, float l2Shrinkage, float beta)
    {
        CudaBuffer bw = B(param), bg = B(grad), ba = B(accumulator), bz = B(linear), bh = B(hyper);
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(FtrlStep), nameof(grad), n, bg.Length);
        if (ba.Length < n) throw TooShort(nameof(FtrlStep), nameof(accumulator), n, ba.Length);
        if (bz.Length < n) throw TooShort(nameof(FtrlStep), nameof(linear), n, bz.Length);
        if (bh.Length <= StateSlots.LearningRate) throw TooShort(nameof(FtrlStep), nameof(hyper), StateSlots.LearningRate + 1, bh.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pg = bg.Pointer, pa = ba.Pointer, pz = bz.Pointer, ph = bh.Pointer;
        int lrSlot = StateSlots.LearningRate;
        float power = -learningRatePower;
        void** args = stackalloc void*[12];
        args[0] = &pw; args[1] = &pg; args[2] = &pa; args[3] = &pz; args[4] = &n; args[5] = &ph; args[6] = &lrSlot;
        args[7] = &power; args[8] = &l1; args[9] = &l2; args[10] = &l2Shrinkage; args[11] = &beta;
        _device.Launch("ftrl_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }
}
