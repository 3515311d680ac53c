using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// Float64 formulas of the loss kinds whose row value is not a sum of per-element terms (Keras losses.py
/// categorical_hinge and cosine_similarity), and their gradients, for one row p (length C) and target row t.
/// </summary>
internal static class RowLossReference
{
    private const double Eps = 1e-7;   // Keras backend.epsilon(): floor of the squared norms

    public static bool Handles(LossKind kind) => kind is LossKind.CategoricalHinge or LossKind.CosineSimilarity;

    public static double Row(LossKind kind, ReadOnlySpan<double> p, ReadOnlySpan<double> t)
    {
        if (kind == LossKind.CategoricalHinge)
        {
            // pos = Σ t·p, neg = max (1 − t)·p; loss = max(neg − pos + 1, 0).
            double pos = 0, neg = double.NegativeInfinity;
            for (int j = 0; j < p.Length; j++) { pos += t[j] * p[j]; neg = Math.Max(neg, (1 - t[j]) * p[j]); }
            return Math.Max(neg - pos + 1, 0);
        }
        var (dot, normT, normP) = Cosine(p, t);
        return -dot / (normT * normP);
    }

    /// <summary>∂row / ∂p_j.</summary>
    public static double Derivative(LossKind kind, ReadOnlySpan<double> p, ReadOnlySpan<double> t, int j)
    {
        if (kind == LossKind.CategoricalHinge)
        {
            if (Row(kind, p, t) <= 0) return 0;
            int argmax = 0;   // first index of the maximum, the one the max's gradient goes to
            for (int i = 1; i < p.Length; i++) if ((1 - t[i]) * p[i] > (1 - t[argmax]) * p[argmax]) argmax = i;
            return -t[j] + (j == argmax ? 1 - t[j] : 0);
        }
        // L = −a / (n_t·n_p), n_p = √max(Σp², ε): ∂L/∂p_j = −t_j/(n_t·n_p) + a·p_j/(n_t·n_p³) where Σp² > ε.
        var (dot, normT, normP) = Cosine(p, t);
        double sumP2 = 0;
        foreach (double v in p) sumP2 += v * v;
        double own = -t[j] / (normT * normP);
        return sumP2 > Eps ? own + dot * p[j] / (normT * normP * normP * normP) : own;
    }

    private static (double Dot, double NormT, double NormP) Cosine(ReadOnlySpan<double> p, ReadOnlySpan<double> t)
    {
        double dot = 0, tt = 0, pp = 0;
        for (int j = 0; j < p.Length; j++) { dot += t[j] * p[j]; tt += t[j] * t[j]; pp += p[j] * p[j]; }
        return (dot, Math.Sqrt(Math.Max(tt, Eps)), Math.Sqrt(Math.Max(pp, Eps)));
    }
}
