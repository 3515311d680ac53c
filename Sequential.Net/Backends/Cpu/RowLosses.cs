namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The loss kinds whose row value is not a sum of per-element terms (categorical_hinge, cosine_similarity) in
/// float32, for one row p and target row t of length C; RowLossReference has the float64 formulas and
/// kernels/loss.cu the same ones on the device.
/// </summary>
internal static unsafe class RowLosses
{
    private const float Eps = 1e-7f;   // Keras backend.epsilon(): floor of the squared norms

    public static bool Handles(LossKind kind) => kind is LossKind.CategoricalHinge or LossKind.CosineSimilarity;

    public static float Row(LossKind kind, float* p, float* t, int cols)
    {
        if (kind == LossKind.CategoricalHinge)
        {
            var (pos, neg, _) = Hinge(p, t, cols);
            return MathF.Max(neg - pos + 1f, 0f);
        }
        var (dot, normT, normP, _) = Cosine(p, t, cols);
        return -dot / (normT * normP);
    }

    /// <summary>d(cols) = ∂row/∂p · g.</summary>
    public static void Gradient(LossKind kind, float* p, float* t, int cols, float g, float* d)
    {
        if (kind == LossKind.CategoricalHinge)
        {
            // ∂/∂p_j = −t_j + [j = argmax (1 − t)·p]·(1 − t_j) while the hinge is active, else 0.
            var (pos, neg, argmax) = Hinge(p, t, cols);
            bool active = neg - pos + 1f > 0f;
            for (int j = 0; j < cols; j++)
                d[j] = active ? g * (-t[j] + (j == argmax ? 1f - t[j] : 0f)) : 0f;
            return;
        }
        // L = −a/(n_t·n_p): ∂L/∂p_j = −t_j/(n_t·n_p) + a·p_j/(n_t·n_p³), the second term only where Σp² > ε.
        var (dot, normT, normP, sumP2) = Cosine(p, t, cols);
        float inv = 1f / (normT * normP);
        float along = sumP2 > Eps ? dot * inv / (normP * normP) : 0f;
        for (int j = 0; j < cols; j++) d[j] = g * (-t[j] * inv + along * p[j]);
    }

    // pos = Σ t·p; neg = max (1 − t)·p and its first index.
    private static (float Pos, float Neg, int Argmax) Hinge(float* p, float* t, int cols)
    {
        float pos = 0f, neg = float.NegativeInfinity;
        int argmax = 0;
        for (int j = 0; j < cols; j++)
        {
            pos += t[j] * p[j];
            float v = (1f - t[j]) * p[j];
            if (j == 0 || v > neg) { neg = v; argmax = j; }
        }
        return (pos, neg, argmax);
    }

    private static (float Dot, float NormT, float NormP, float SumP2) Cosine(float* p, float* t, int cols)
    {
        float dot = 0f, tt = 0f, pp = 0f;
        for (int j = 0; j < cols; j++) { dot += t[j] * p[j]; tt += t[j] * t[j]; pp += p[j] * p[j]; }
        return (dot, MathF.Sqrt(MathF.Max(tt, Eps)), MathF.Sqrt(MathF.Max(pp, Eps)), pp);
    }
}
