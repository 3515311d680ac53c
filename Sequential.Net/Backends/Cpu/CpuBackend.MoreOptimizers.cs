using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

// Keras Adamax, Lion and Adadelta over the flat parameter buffer, the same float operations as
// adamax_step_f32, lion_step_f32 and adadelta_step_f32 (kernels/optim.cu). Each range runs Vector512 then a
// scalar tail with the same operations in the same order (no FMA contraction), as AdamRange, so an element's
// result does not depend on where a worker's chunk starts.
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
        float lr = s.Lr, rho = s.Rho, epsilon = s.Epsilon, a = 1f - rho;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vr = Vector512.Create(rho); var va = Vector512.Create(a); var ve = Vector512.Create(epsilon); var vl = Vector512.Create(lr);
            for (; i <= count - 16; i += 16)
            {
                var gi = Vector512.Load(g + i);
                var ai = vr * Vector512.Load(pa + i) + va * gi * gi; ai.Store(pa + i);
                var bi = Vector512.Load(pb + i);
                var d = -Vector512.Sqrt(bi + ve) / Vector512.Sqrt(ai + ve) * gi;
                (vr * bi + va * d * d).Store(pb + i);
                (Vector512.Load(w + i) + vl * d).Store(w + i);
            }
        }
        for (; i < count; i++)
        {
            float gi = g[i];
            float ai = pa[i] = rho * pa[i] + a * gi * gi;
            float d = -MathF.Sqrt(pb[i] + epsilon) / MathF.Sqrt(ai + epsilon) * gi;
            pb[i] = rho * pb[i] + a * d * d;
            w[i] += lr * d;
        }
    }

    private static void AdamaxRange(void* state, int start, int count)
    {
        ref StepArgs s = ref *(StepArgs*)state;
        float* w = s.W + start, g = s.G + start, pm = s.S1 + start, pu = s.S2 + start;
        float step = s.Lr, a1 = s.A1, beta2 = s.Rho, epsilon = s.Epsilon;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va1 = Vector512.Create(a1); var vb2 = Vector512.Create(beta2); var ve = Vector512.Create(epsilon); var vs = Vector512.Create(step);
            for (; i <= count - 16; i += 16)
            {
                var gi = Vector512.Load(g + i);
                var mi = Vector512.Load(pm + i); mi += (gi - mi) * va1; mi.Store(pm + i);
                var ui = Vector512.Max(vb2 * Vector512.Load(pu + i), Vector512.Abs(gi)); ui.Store(pu + i);
                (Vector512.Load(w + i) - vs * mi / (ui + ve)).Store(w + i);
            }
        }
        for (; i < count; i++)
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
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vb1 = Vector512.Create(beta1); var vc1 = Vector512.Create(1f - beta1);
            var vb2 = Vector512.Create(beta2); var vc2 = Vector512.Create(1f - beta2); var vl = Vector512.Create(lr);
            var one = Vector512<float>.One; var minusOne = -Vector512<float>.One;
            for (; i <= count - 16; i += 16)
            {
                var gi = Vector512.Load(g + i); var mi = Vector512.Load(pm + i);
                var c = mi * vb1 + gi * vc1;
                // sign(c) with 0 → 0 and NaN → NaN, as the scalar tail and the kernel.
                var sign = Vector512.ConditionalSelect(Vector512.GreaterThan(c, Vector512<float>.Zero), one,
                    Vector512.ConditionalSelect(Vector512.LessThan(c, Vector512<float>.Zero), minusOne, c));
                (Vector512.Load(w + i) - vl * sign).Store(w + i);
                (mi * vb2 + gi * vc2).Store(pm + i);
            }
        }
        for (; i < count; i++)
        {
            float gi = g[i], mi = pm[i];
            float c = mi * beta1 + gi * (1f - beta1);
            w[i] -= lr * (c > 0f ? 1f : c < 0f ? -1f : c);
            pm[i] = mi * beta2 + gi * (1f - beta2);
        }
    }
}
