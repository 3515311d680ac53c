using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

// Keras Adam with amsgrad and Ftrl over the flat parameter buffer, the same float operations as
// adam_amsgrad_step_f32 and ftrl_step_f32 (kernels/optim.cu).
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void AdamAmsgradStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer vHat, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon)
    {
        RequireStep(nameof(AdamAmsgradStep), param, hyper, counters, (nameof(grad), grad), (nameof(m), m), (nameof(v), v), (nameof(vHat), vHat));
        int t = C(counters).I[StateSlots.OptimizerStep] + 1;
        float lr = F(hyper)[StateSlots.LearningRate];
        float alpha = (float)(lr * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t)));
        var args = new StepArgs { W = F(param), G = F(grad), S1 = F(m), S2 = F(v), S3 = F(vHat), Lr = alpha, A1 = 1f - beta1, A2 = 1f - beta2, Epsilon = epsilon };
        ElementwiseParallel.For(param.Length, &args, &AmsgradRange);
    }

    // Vector512 then a scalar tail with the same operations (no FMA contraction), as AdamRange.
    private static void AmsgradRange(void* state, int start, int count)
    {
        ref StepArgs s = ref *(StepArgs*)state;
        float* w = s.W + start, g = s.G + start, pm = s.S1 + start, pv = s.S2 + start, ph = s.S3 + start;
        float alpha = s.Lr, a1 = s.A1, a2 = s.A2, epsilon = s.Epsilon;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va1 = Vector512.Create(a1); var va2 = Vector512.Create(a2);
            var va = Vector512.Create(alpha); var ve = Vector512.Create(epsilon);
            for (; i <= count - 16; i += 16)
            {
                var gi = Vector512.Load(g + i);
                var mi = Vector512.Load(pm + i); mi += (gi - mi) * va1; mi.Store(pm + i);
                var vi = Vector512.Load(pv + i); vi += (gi * gi - vi) * va2; vi.Store(pv + i);
                var hi = Vector512.Max(Vector512.Load(ph + i), vi); hi.Store(ph + i);
                (Vector512.Load(w + i) - va * mi / (Vector512.Sqrt(hi) + ve)).Store(w + i);
            }
        }
        for (; i < count; i++)
        {
            pm[i] += (g[i] - pm[i]) * a1;
            pv[i] += (g[i] * g[i] - pv[i]) * a2;
            float hi = ph[i] = MathF.Max(ph[i], pv[i]);
            w[i] -= alpha * pm[i] / (MathF.Sqrt(hi) + epsilon);
        }
    }

    /// <inheritdoc/>
    public void FtrlStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer accumulator, DeviceBuffer linear, DeviceBuffer hyper,
        float learningRatePower, float l1, float l2, float l2Shrinkage, float beta)
    {
        RequireStep(nameof(FtrlStep), param, hyper, null, (nameof(grad), grad), (nameof(accumulator), accumulator), (nameof(linear), linear));
        float lr = F(hyper)[StateSlots.LearningRate];
        var args = new StepArgs
        {
            W = F(param), G = F(grad), S1 = F(accumulator), S2 = F(linear), Lr = lr, Rho = -learningRatePower,
            A1 = l1, A2 = l2 + beta / (2f * lr), Cm = 2f * l2Shrinkage,
        };
        ElementwiseParallel.For(param.Length, &args, &FtrlRange);
    }

    // Scalar: the powers n^p are MathF.Pow (p is any non-negative exponent).
    private static void FtrlRange(void* state, int start, int count)
    {
        ref StepArgs s = ref *(StepArgs*)state;
        float* w = s.W + start, g = s.G + start, pn = s.S1 + start, pz = s.S2 + start;
        float lr = s.Lr, power = s.Rho, l1 = s.A1, l2Reg = s.A2, shrink = s.Cm;
        for (int i = 0; i < count; i++)
        {
            float gi = g[i], wi = w[i], ni = pn[i];
            float newN = ni + gi * gi;
            float powNew = MathF.Pow(newN, power), powOld = MathF.Pow(ni, power);
            float zi = pz[i] = pz[i] + (gi + shrink * wi - (powNew - powOld) / lr * wi);
            float quadratic = powNew / lr + 2f * l2Reg;
            w[i] = (Math.Clamp(zi, -l1, l1) - zi) / quadratic;
            pn[i] = newN;
        }
    }
}
