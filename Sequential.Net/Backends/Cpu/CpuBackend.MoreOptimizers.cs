namespace SequentialNet.Backends.Cpu;

// Keras Adamax, Lion and Adadelta over the flat parameter buffer, the same float operations as
// adamax_step_f32, lion_step_f32 and adadelta_step_f32 (kernels/optim.cu).
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void AdamaxStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer u, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon)
    {
        RequireStep(nameof(AdamaxStep), param, hyper, counters, (nameof(grad), grad), (nameof(m), m), (nameof(u), u));
        double t = C(counters).I[StateSlots.OptimizerStep] + 1;
        // The bias correction 1 − β1^t in double, as Adam's, folded into the step: lr / (1 − β1^t).
        float step = (float)(F(hyper)[StateSlots.LearningRate] / (1.0 - Math.Pow(beta1, t)));
        var args = new StepArgs { W = F(param), G = F(grad), S1 = F(m), S2 = F(u), Lr = step, A1 = 1f - beta1, Rho = beta2, Epsilon = epsilon };
        ElementwiseParallel.For(param.Length, &args, &AdamaxRange);
    }

    /// <inheritdoc/>
    public void LionStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer hyper, float beta1, float beta2)
    {
        RequireStep(nameof(LionStep), param, hyper, null, (nameof(grad), grad), (nameof(m), m));
        var args = new StepArgs { W = F(param), G = F(grad), S1 = F(m), Lr = F(hyper)[StateSlots.LearningRate], A1 = beta1, A2 = beta2 };
        ElementwiseParallel.For(param.Length, &args, &LionRange);
    }

    /// <inheritdoc/>
    public void AdadeltaStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer accumulatedGrad, DeviceBuffer accumulatedDelta, DeviceBuffer hyper, float rho, float epsilon)
    {
        RequireStep(nameof(AdadeltaStep), param, hyper, null, (nameof(grad), grad), (nameof(accumulatedGrad), accumulatedGrad), (nameof(accumulatedDelta), accumulatedDelta));
        var args = new StepArgs { W = F(param), G = F(grad), S1 = F(accumulatedGrad), S2 = F(accumulatedDelta), Lr = F(hyper)[StateSlots.LearningRate], Rho = rho, Epsilon = epsilon };
        ElementwiseParallel.For(param.Length, &args, &AdadeltaRange);
    }

    private static void AdadeltaRange(void* state, int start, int count)
    {
        ref StepArgs s = ref *(StepArgs*)state;
        float* w = s.W + start, g = s.G + start, pa = s.S1 + start, pb = s.S2 + start;
        float lr = s.Lr, rho = s.Rho, epsilon = s.Epsilon;
        for (int i = 0; i < count; i++)
        {
            float gi = g[i];
            float ai = pa[i] = rho * pa[i] + (1f - rho) * gi * gi;
            float d = -MathF.Sqrt(pb[i] + epsilon) / MathF.Sqrt(ai + epsilon) * gi;
            pb[i] = rho * pb[i] + (1f - rho) * d * d;
            w[i] += lr * d;
        }
    }

    private static void AdamaxRange(void* state, int start, int count)
    {
        ref StepArgs s = ref *(StepArgs*)state;
        float* w = s.W + start, g = s.G + start, pm = s.S1 + start, pu = s.S2 + start;
        float step = s.Lr, a1 = s.A1, beta2 = s.Rho, epsilon = s.Epsilon;
        for (int i = 0; i < count; i++)
        {
            float gi = g[i];
            float mi = pm[i] = pm[i] + (gi - pm[i]) * a1;
            float ui = pu[i] = MathF.Max(beta2 * pu[i], MathF.Abs(gi));
            w[i] -= step * mi / (ui + epsilon);
        }
    }

    private static void LionRange(void* state, int start, int count)
    {
        ref StepArgs s = ref *(StepArgs*)state;
        float* w = s.W + start, g = s.G + start, pm = s.S1 + start;
        float lr = s.Lr, beta1 = s.A1, beta2 = s.A2;
        for (int i = 0; i < count; i++)
        {
            float gi = g[i], mi = pm[i];
            w[i] -= lr * MathF.Sign(mi * beta1 + gi * (1f - beta1));
            pm[i] = mi * beta2 + gi * (1f - beta2);
        }
    }
}
