namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The elementwise loss kinds in float32: the term of one (prediction x, target y) pair and its derivative
/// d term / d x. The row kernels add the terms and divide by the columns (or not, <see cref="SumsOverRow"/>);
/// kernels/loss.cu has the same formulas, LossReference the float64 ones.
/// </summary>
internal static class LossTerms
{
    private const float Eps = 1e-7f;   // Keras backend.epsilon()
    private static readonly float Log2 = MathF.Log(2f);

    /// <summary>Kinds whose row value is the sum of the terms, not their mean.</summary>
    public static bool SumsOverRow(LossKind kind)
        => kind is LossKind.CategoricalCrossentropy or LossKind.SparseCategoricalCrossentropy or LossKind.KLDivergence;

    /// <summary>Binary targets smoothed towards ½ (Keras label_smoothing of the binary losses).</summary>
    public static float Smooth(float y, float smoothing) => smoothing == 0f ? y : y * (1f - smoothing) + 0.5f * smoothing;

    /// <summary>Hinge targets: 0 is read as −1 (Keras converts 0/1 labels to −1/1).</summary>
    public static float HingeTarget(float y) => y == 0f ? -1f : y;

    public static float Term(LossKind kind, float x, float y, LossParams parameters)
    {
        float param = parameters.Value, d = x - y;
        switch (kind)
        {
            case LossKind.MeanSquaredError: return d * d;
            case LossKind.MeanAbsoluteError: return MathF.Abs(d);
            case LossKind.Huber: return MathF.Abs(d) <= param ? 0.5f * d * d : param * (MathF.Abs(d) - 0.5f * param);
            case LossKind.BinaryCrossentropy:
                y = Smooth(y, param);
                return -(y * MathF.Log(Clip(x)) + (1 - y) * MathF.Log(1 - Clip(x)));
            case LossKind.BinaryCrossentropyFromLogits:
                y = Smooth(y, param);
                return MathF.Max(x, 0) - x * y + MathF.Log(1 + MathF.Exp(-MathF.Abs(x)));
            case LossKind.MeanAbsolutePercentageError: return 100f * MathF.Abs(d) / MathF.Max(MathF.Abs(y), Eps);
            case LossKind.MeanSquaredLogarithmicError:
                float l = MathF.Log(MathF.Max(x, Eps) + 1f) - MathF.Log(MathF.Max(y, Eps) + 1f);
                return l * l;
            case LossKind.LogCosh: return d + Softplus(-2f * d) - Log2;
            case LossKind.Poisson: return x - y * MathF.Log(x + Eps);
            case LossKind.Hinge: return MathF.Max(1f - HingeTarget(y) * x, 0f);
            case LossKind.SquaredHinge: float m = MathF.Max(1f - HingeTarget(y) * x, 0f); return m * m;
            case LossKind.KLDivergence:
                float yc = Math.Clamp(y, Eps, 1f);
                return yc * MathF.Log(yc / Math.Clamp(x, Eps, 1f));
            case LossKind.BinaryFocalCrossentropy: return Focal(x, y, parameters, out _);
            case LossKind.BinaryFocalCrossentropyFromLogits: return Focal(Sigmoid(x), y, parameters, out _);
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "LossTerms: not an elementwise loss kind.");
        }
    }

    public static float Derivative(LossKind kind, float x, float y, LossParams parameters)
    {
        float param = parameters.Value, d = x - y;
        switch (kind)
        {
            case LossKind.MeanSquaredError: return 2 * d;
            case LossKind.MeanAbsoluteError: return MathF.Sign(d);
            case LossKind.Huber: return MathF.Abs(d) <= param ? d : param * MathF.Sign(d);
            case LossKind.BinaryCrossentropy:
                y = Smooth(y, param);
                return x < Eps || x > 1 - Eps ? 0f : -y / x + (1 - y) / (1 - x);
            case LossKind.BinaryCrossentropyFromLogits: return 1f / (1f + MathF.Exp(-x)) - Smooth(y, param);
            case LossKind.MeanAbsolutePercentageError: return 100f * MathF.Sign(d) / MathF.Max(MathF.Abs(y), Eps);
            case LossKind.MeanSquaredLogarithmicError:
                if (!(x > Eps)) return 0f;   // max(x, eps) is flat below eps
                return 2f * (MathF.Log(x + 1f) - MathF.Log(MathF.Max(y, Eps) + 1f)) / (x + 1f);
            case LossKind.LogCosh: return MathF.Tanh(d);
            case LossKind.Poisson: return 1f - y / (x + Eps);
            case LossKind.Hinge: { float t = HingeTarget(y); return 1f - t * x > 0f ? -t : 0f; }
            case LossKind.SquaredHinge: { float t = HingeTarget(y), m = 1f - t * x; return m > 0f ? -2f * t * m : 0f; }
            case LossKind.KLDivergence: return x >= Eps && x <= 1f ? -Math.Clamp(y, Eps, 1f) / x : 0f;
            case LossKind.BinaryFocalCrossentropy: Focal(x, y, parameters, out float dp); return dp;
            case LossKind.BinaryFocalCrossentropyFromLogits:
                { float sx = Sigmoid(x); Focal(sx, y, parameters, out float ds); return ds * sx * (1f - sx); }
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "LossTerms: not an elementwise loss kind.");
        }
    }

    // Keras binary_focal_crossentropy of probability p: w·(1 − p_t)^γ·bce, p_t on the unclipped p (as Keras),
    // bce on p clipped to [ε, 1 − ε]; derivative w·(f'·bce + f·bce') with f' = γ·(1 − p_t)^(γ−1)·(1 − 2t).
    private static float Focal(float p, float y, LossParams parameters, out float derivative)
    {
        float t = Smooth(y, parameters.Value), gamma = parameters.Gamma, alpha = parameters.Alpha;
        float c = Clip(p);
        float bce = -(t * MathF.Log(c) + (1 - t) * MathF.Log(1 - c));
        float dBce = p < Eps || p > 1 - Eps ? 0f : -t / p + (1 - t) / (1 - p);
        float q = 1f - (t * p + (1 - t) * (1 - p));
        float f = MathF.Pow(q, gamma);
        float dF = gamma == 0f ? 0f : gamma * MathF.Pow(q, gamma - 1f) * (1f - 2f * t);
        float w = parameters.ClassBalancing ? t * alpha + (1 - t) * (1 - alpha) : 1f;
        derivative = w * (dF * bce + f * dBce);
        return w * f * bce;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    // log(1 + e^z) without overflow: max(z, 0) + log(1 + e^−|z|).
    private static float Softplus(float z) => MathF.Max(z, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(z)));

    private static float Clip(float v) => Math.Clamp(v, Eps, 1 - Eps);
}
