using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

// Optimizer steps over the flat parameter buffer: one fused pass per step, split over the workers by
// ElementwiseParallel when the buffer is large (every element's update is independent of the others).
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon)
    {
        RequireStep(nameof(AdamStep), param, hyper, counters, (nameof(grad), grad), (nameof(m), m), (nameof(v), v));
        // t = iterations + 1; the caller advances the iterations counter after every optimizer's step.
        int t = C(counters).I[StateSlots.OptimizerStep] + 1;
        float lr = F(hyper)[StateSlots.LearningRate];
        // Keras: alpha = lr·√(1−β2^t)/(1−β1^t); m += (g−m)(1−β1); v += (g²−v)(1−β2); w −= alpha·m/(√v+ε).
        float alpha = (float)(lr * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t)));
        var args = new AdamArgs { W = F(param), G = F(grad), M = F(m), V = F(v), Alpha = alpha, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon };
        ElementwiseParallel.For(param.Length, &args, &AdamRange);
    }

    private struct AdamArgs
    {
        public float* W, G, M, V;
        public float Alpha, Beta1, Beta2, Epsilon;
    }

    // Elements [start, start + count): Vector512 then a scalar tail with the same float operations (no
    // contraction into FMAs), so an element's result does not depend on where a chunk starts.
    private static void AdamRange(void* state, int start, int count)
    {
        ref AdamArgs a = ref *(AdamArgs*)state;
        float* w = a.W + start, g = a.G + start, pm = a.M + start, pv = a.V + start;
        float alpha = a.Alpha, beta1 = a.Beta1, beta2 = a.Beta2, epsilon = a.Epsilon;
        int n = count, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var a1 = Vector512.Create(1 - beta1); var a2 = Vector512.Create(1 - beta2);
            var va = Vector512.Create(alpha); var ve = Vector512.Create(epsilon);
            for (; i <= n - 16; i += 16)
            {
                var gi = Vector512.Load(g + i);
                var mi = Vector512.Load(pm + i); mi += (gi - mi) * a1; mi.Store(pm + i);
                var vi = Vector512.Load(pv + i); vi += (gi * gi - vi) * a2; vi.Store(pv + i);
                (Vector512.Load(w + i) - va * mi / (Vector512.Sqrt(vi) + ve)).Store(w + i);
            }
        }
        for (; i < n; i++)
        {
            pm[i] += (g[i] - pm[i]) * (1 - beta1);
            pv[i] += (g[i] * g[i] - pv[i]) * (1 - beta2);
            w[i] -= alpha * pm[i] / (MathF.Sqrt(pv[i]) + epsilon);
        }
    }

    /// <inheritdoc/>
    public void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer velocity, DeviceBuffer hyper, float momentum, bool nesterov)
    {
        RequireStep(nameof(SgdStep), param, hyper, null, (nameof(grad), grad));
        if (momentum != 0f) RequireAtLeast(nameof(SgdStep), nameof(velocity), velocity, param.Length);
        var args = new StepArgs { W = F(param), G = F(grad), S1 = F(velocity), Lr = F(hyper)[StateSlots.LearningRate], Momentum = momentum, Flag = nesterov };
        ElementwiseParallel.For(param.Length, &args, &SgdRange);
    }

    /// <inheritdoc/>
    public void RmspropStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer velocity, DeviceBuffer momentumBuffer, DeviceBuffer averageGradient, DeviceBuffer hyper, float rho, float momentum, float epsilon, bool centered)
    {
        RequireStep(nameof(RmspropStep), param, hyper, null, (nameof(grad), grad), (nameof(velocity), velocity));
        if (momentum > 0f) RequireAtLeast(nameof(RmspropStep), nameof(momentumBuffer), momentumBuffer, param.Length);
        if (centered) RequireAtLeast(nameof(RmspropStep), nameof(averageGradient), averageGradient, param.Length);
        var args = new StepArgs
        {
            W = F(param), G = F(grad), S1 = F(velocity), S2 = F(momentumBuffer), S3 = F(averageGradient),
            Lr = F(hyper)[StateSlots.LearningRate], Rho = rho, Momentum = momentum, Epsilon = epsilon, Flag = centered,
        };
        ElementwiseParallel.For(param.Length, &args, &RmspropRange);
    }

    /// <inheritdoc/>
    public void AdagradStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer accumulator, DeviceBuffer hyper, float epsilon)
    {
        RequireStep(nameof(AdagradStep), param, hyper, null, (nameof(grad), grad), (nameof(accumulator), accumulator));
        var args = new StepArgs { W = F(param), G = F(grad), S1 = F(accumulator), Lr = F(hyper)[StateSlots.LearningRate], Epsilon = epsilon };
        ElementwiseParallel.For(param.Length, &args, &AdagradRange);
    }

    /// <summary>Checks the buffers of an optimizer step over <paramref name="param"/>'s length, the learning-rate slot and the step counter.</summary>
    private static void RequireStep(string who, DeviceBuffer param, DeviceBuffer hyper, DeviceBuffer? counters, params ReadOnlySpan<(string Name, DeviceBuffer Buffer)> buffers)
    {
        RequireEach(who, param.Length, buffers);
        RequireHyper(who, hyper);
        if (counters != null) RequireIndex(who, "step slot", counters, StateSlots.OptimizerStep);
    }

    /// <summary>Arguments of the SGD, RMSprop, Adagrad and Nadam passes: the flat buffers and the step's scalars.</summary>
    private struct StepArgs
    {
        public float* W, G, S1, S2, S3;
        public float Lr, Rho, Momentum, Epsilon, A1, A2, Cm, Cg, D2;
        public bool Flag;
    }

    private static void SgdRange(void* state, int start, int count)
    {
        ref StepArgs a = ref *(StepArgs*)state;
        float* w = a.W + start, g = a.G + start, vel = a.S1 + start;
        float lr = a.Lr, momentum = a.Momentum;
        if (momentum == 0f)
        {
            SimdKernels.Axpy(-lr, g, w, count);
            return;
        }
        // Keras: m = μ·m − lr·g; w += m (plain) or w += μ·m − lr·g (Nesterov, with the updated m).
        bool nesterov = a.Flag;
        for (int i = 0; i < count; i++)
        {
            float mi = vel[i] = momentum * vel[i] - lr * g[i];
            w[i] += nesterov ? momentum * mi - lr * g[i] : mi;
        }
    }

    private static void RmspropRange(void* state, int start, int count)
    {
        ref StepArgs s = ref *(StepArgs*)state;
        float* w = s.W + start, g = s.G + start, vel = s.S1 + start, mom = s.S2 + start, avg = s.S3 + start;
        float lr = s.Lr, rho = s.Rho, momentum = s.Momentum, epsilon = s.Epsilon, a = 1f - rho;
        bool centered = s.Flag;
        for (int i = 0; i < count; i++)
        {
            float gi = g[i];
            float vi = vel[i] = rho * vel[i] + a * (gi * gi);
            float denominator;
            if (centered)
            {
                float ai = avg[i] = rho * avg[i] + a * gi;
                denominator = vi - ai * ai + epsilon;
            }
            else denominator = vi + epsilon;
            float increment = lr * gi / MathF.Sqrt(denominator);
            if (momentum > 0f)
            {
                float mi = mom[i] = momentum * mom[i] + increment;
                w[i] -= mi;
            }
            else w[i] -= increment;
        }
    }

    private static void AdagradRange(void* state, int start, int count)
    {
        ref StepArgs s = ref *(StepArgs*)state;
        float* w = s.W + start, g = s.G + start, acc = s.S1 + start;
        float lr = s.Lr, epsilon = s.Epsilon;
        for (int i = 0; i < count; i++)
        {
            float gi = g[i];
            float ai = acc[i] = acc[i] + gi * gi;
            w[i] -= lr * gi / MathF.Sqrt(ai + epsilon);
        }
    }
}
