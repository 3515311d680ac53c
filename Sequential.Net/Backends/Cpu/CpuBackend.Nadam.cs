namespace SequentialNet.Backends.Cpu;

// Keras Nadam over the flat parameter buffer, the same float operations as nadam_step_f32.
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void NadamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon)
    {
        RequireStep(nameof(NadamStep), param, hyper, counters, (nameof(grad), grad), (nameof(m), m), (nameof(v), v));
        RequireHyper(nameof(NadamStep), hyper, StateSlots.NadamUProduct);
        double t = C(counters).I[StateSlots.OptimizerStep] + 1;
        float* h = F(hyper);
        // u_t = β1(1 − ½·0.96^t); the product u_1·…·u_t is advanced once per step (Keras _backend_update_step).
        double ut = beta1 * (1.0 - 0.5 * Math.Pow(0.96, t)), ut1 = beta1 * (1.0 - 0.5 * Math.Pow(0.96, t + 1));
        float product = h[StateSlots.NadamUProduct] = (float)((t == 1 ? 1.0 : h[StateSlots.NadamUProduct]) * ut);
        float cm = (float)(ut1 / (1.0 - product * ut1)), cg = (float)((1.0 - ut) / (1.0 - product));
        float d2 = (float)(1.0 - Math.Pow(beta2, t)), lr = h[StateSlots.LearningRate];
        var args = new StepArgs
        {
            W = F(param), G = F(grad), S1 = F(m), S2 = F(v), Lr = lr, Epsilon = epsilon,
            A1 = 1f - beta1, A2 = 1f - beta2, Cm = cm, Cg = cg, D2 = d2,
        };
        ElementwiseParallel.For(param.Length, &args, &NadamRange);
    }

    private static void NadamRange(void* state, int start, int count)
    {
        ref StepArgs s = ref *(StepArgs*)state;
        float* w = s.W + start, g = s.G + start, pm = s.S1 + start, pv = s.S2 + start;
        float a1 = s.A1, a2 = s.A2, cm = s.Cm, cg = s.Cg, d2 = s.D2, lr = s.Lr, epsilon = s.Epsilon;
        for (int i = 0; i < count; i++)
        {
            float gi = g[i];
            float mi = pm[i] = pm[i] + (gi - pm[i]) * a1;
            float vi = pv[i] = pv[i] + (gi * gi - pv[i]) * a2;
            float mHat = cm * mi + cg * gi;
            w[i] -= mHat * lr / (MathF.Sqrt(vi / d2) + epsilon);
        }
    }
}
