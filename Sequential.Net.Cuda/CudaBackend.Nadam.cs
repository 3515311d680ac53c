using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Keras Nadam (kernels/optim.cu): a one-thread kernel advances the momentum product in the hyper-parameters,
// then one fused grid-stride pass updates m, v and the parameters; both read the step on the device.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void NadamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon)
    {
        CudaBuffer bw = B(param), bg = B(grad), bm = B(m), bv = B(v), bh = B(hyper);
        CudaBuffer bc = RequireInt(counters, StateSlots.OptimizerStep, nameof(NadamStep));
        int n = bw.Length;
        if (bg.Length < n) throw TooShort(nameof(NadamStep), nameof(grad), n, bg.Length);
        if (bm.Length < n) throw TooShort(nameof(NadamStep), nameof(m), n, bm.Length);
        if (bv.Length < n) throw TooShort(nameof(NadamStep), nameof(v), n, bv.Length);
        int needed = Math.Max(StateSlots.LearningRate, StateSlots.NadamUProduct) + 1;
        if (bh.Length < needed) throw TooShort(nameof(NadamStep), nameof(hyper), needed, bh.Length);
        ulong pw = bw.Pointer, pg = bg.Pointer, pm = bm.Pointer, pv = bv.Pointer, ph = bh.Pointer, pc = bc.Pointer;
        int lrSlot = StateSlots.LearningRate, uSlot = StateSlots.NadamUProduct, stepSlot = StateSlots.OptimizerStep;
        void** u = stackalloc void*[5];
        u[0] = &ph; u[1] = &uSlot; u[2] = &pc; u[3] = &stepSlot; u[4] = &beta1;
        _device.Launch("nadam_u_product_f32", new Dim3(1), new Dim3(1), 0, u);
        if (n == 0) return;
        void** args = stackalloc void*[13];
        args[0] = &pw; args[1] = &pg; args[2] = &pm; args[3] = &pv; args[4] = &n; args[5] = &ph; args[6] = &lrSlot; args[7] = &uSlot;
        args[8] = &pc; args[9] = &stepSlot; args[10] = &beta1; args[11] = &beta2; args[12] = &epsilon;
        _device.Launch("nadam_step_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }
}
