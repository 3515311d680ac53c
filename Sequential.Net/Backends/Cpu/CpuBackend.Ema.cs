namespace SequentialNet.Backends.Cpu;

// Keras's optimizer EMA (base_optimizer._update_model_variables_moving_average and the overwrite every
// ema_overwrite_frequency steps), in the float32 operations of kernels/optim.cu's ema_update_f32.
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void EmaUpdate(DeviceBuffer param, DeviceBuffer average, DeviceBuffer counters, float momentum, int overwriteFrequency)
    {
        RequireAtLeast(nameof(EmaUpdate), nameof(average), average, param.Length);
        if (counters.Length <= StateSlots.OptimizerStep)
            throw new ArgumentException($"{nameof(EmaUpdate)}: counters needs at least {StateSlots.OptimizerStep + 1} elements. Received a buffer of {counters.Length}.", nameof(counters));
        int t = C(counters).I[StateSlots.OptimizerStep];
        var args = new EmaArgs
        {
            W = F(param), A = F(average), Momentum = t == 0 ? 0f : momentum,
            Overwrite = overwriteFrequency > 0 && (t + 1) % overwriteFrequency == 0,
        };
        ElementwiseParallel.For(param.Length, &args, &EmaRange);
    }

    private struct EmaArgs
    {
        public float* W, A;
        public float Momentum;
        public bool Overwrite;
    }

    private static void EmaRange(void* state, int start, int count)
    {
        ref EmaArgs s = ref *(EmaArgs*)state;
        float* w = s.W + start, a = s.A + start;
        float m = s.Momentum, keep = 1f - m;
        for (int i = 0; i < count; i++)
        {
            float next = m * a[i] + keep * w[i];
            a[i] = next;
            if (s.Overwrite) w[i] = next;
        }
    }
}
