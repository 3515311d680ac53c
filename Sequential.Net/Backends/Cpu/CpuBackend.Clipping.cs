namespace SequentialNet.Backends.Cpu;

// Gradient clipping and decoupled weight decay over the flat buffers (Keras base_optimizer order:
// clip, decay, update). Scalar loops: these passes are memory-bound and run once per step; the
// elementwise ones split over the workers like the optimizer steps, the norms keep one fixed order.
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void DecayWeights(DeviceBuffer param, DeviceBuffer hyper, float weightDecay)
    {
        RequireHyper(nameof(DecayWeights), hyper);
        var args = new DecayArgs { W = F(param), Lr = F(hyper)[StateSlots.LearningRate], WeightDecay = weightDecay };
        ElementwiseParallel.For(param.Length, &args, &DecayRange);
    }

    /// <inheritdoc/>
    public void ClipGradientValues(DeviceBuffer grad, float clipValue)
    {
        var args = new ClipArgs { G = F(grad), ClipValue = clipValue };
        ElementwiseParallel.For(grad.Length, &args, &ClipValuesRange);
    }

    private struct DecayArgs
    {
        public float* W;
        public float Lr, WeightDecay;
    }

    private struct ClipArgs
    {
        public float* G;
        public float ClipValue;
    }

    private static void DecayRange(void* state, int start, int count)
    {
        ref DecayArgs s = ref *(DecayArgs*)state;
        float* w = s.W + start;
        float weightDecay = s.WeightDecay, lr = s.Lr;
        // Keras _apply_weight_decay: variable - variable * wd * lr, in that order.
        for (int i = 0; i < count; i++) w[i] = w[i] - w[i] * weightDecay * lr;
    }

    private static void ClipValuesRange(void* state, int start, int count)
    {
        ref ClipArgs s = ref *(ClipArgs*)state;
        float* g = s.G + start;
        float clipValue = s.ClipValue;
        for (int i = 0; i < count; i++)
        {
            float x = g[i];
            g[i] = x > clipValue ? clipValue : x < -clipValue ? -clipValue : x;   // NaN compares false: kept
        }
    }

    /// <inheritdoc/>
    public void ClipGradientNorms(DeviceBuffer grad, DeviceBuffer segments, int segmentCount, DeviceBuffer squaredNorms, float clipNorm, bool global)
    {
        if (segments.Length < 2 * segmentCount) throw new ArgumentException($"ClipGradientNorms: expected segments to hold {2 * segmentCount} ints. Received: {segments.Length}.", nameof(segments));
        if (squaredNorms.Length < segmentCount) throw new ArgumentException($"ClipGradientNorms: expected squaredNorms to hold {segmentCount} floats. Received: {squaredNorms.Length}.", nameof(squaredNorms));
        float* g = F(grad), sq = F(squaredNorms);
        int* seg = C(segments).I;
        for (int s = 0; s < segmentCount; s++)
        {
            double sum = 0;
            for (int i = seg[2 * s], end = i + seg[2 * s + 1]; i < end; i++) sum += (double)g[i] * g[i];
            sq[s] = (float)sum;
        }
        float globalScale = 0f;
        if (global)
        {
            float total = 0f;
            for (int s = 0; s < segmentCount; s++) total += sq[s];
            float norm = MathF.Sqrt(total);
            // Keras clip_by_global_norm: scale = c·min(1/‖G‖, 1/c) (+ ‖G‖ − ‖G‖, which keeps NaN).
            globalScale = clipNorm * NanMin(1f / norm, 1f / clipNorm) + (norm - norm);
        }
        for (int s = 0; s < segmentCount; s++)
        {
            int start = seg[2 * s], end = start + seg[2 * s + 1];
            if (global)
            {
                for (int i = start; i < end; i++) g[i] *= globalScale;
                continue;
            }
            // Keras _clip_by_norm: g·c / max(‖g‖, c), with ‖g‖ = Σg² when Σg² is not positive.
            float l2 = sq[s] > 0 ? MathF.Sqrt(sq[s]) : sq[s];
            float denominator = NanMax(l2, clipNorm);
            for (int i = start; i < end; i++) g[i] = g[i] * clipNorm / denominator;
        }
    }

    private static float NanMin(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Min(a, b);
    private static float NanMax(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Max(a, b);
}
