using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Keras's optimizer EMA (kernels/optim.cu, ema_update_f32): elementwise, the step read on the device so a
// recorded step replays with the right momentum and overwrite.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void EmaUpdate(DeviceBuffer param, DeviceBuffer average, DeviceBuffer counters, float momentum, int overwriteFrequency)
    {
        CudaBuffer bw = B(param), ba = B(average), bc = B(counters);
        int n = bw.Length;
        if (ba.Length < n) throw TooShort(nameof(EmaUpdate), nameof(average), n, ba.Length);
        if (bc.Length <= StateSlots.OptimizerStep) throw TooShort(nameof(EmaUpdate), nameof(counters), StateSlots.OptimizerStep + 1, bc.Length);
        if (n == 0) return;
        ulong pw = bw.Pointer, pa = ba.Pointer, pc = bc.Pointer;
        int stepSlot = StateSlots.OptimizerStep;
        void** args = stackalloc void*[7];
        args[0] = &pw; args[1] = &pa; args[2] = &n; args[3] = &pc; args[4] = &stepSlot; args[5] = &momentum; args[6] = &overwriteFrequency;
        _device.Launch("ema_update_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }
}
