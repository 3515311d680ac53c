namespace SequentialNet.Graph.Ops;

/// <summary>
/// Float64 terms of the elementwise losses Keras defines in losses/losses.py (mean_absolute_percentage_error,
/// mean_squared_logarithmic_error, log_cosh, poisson, hinge, squared_hinge, kl_divergence), for one
/// (prediction x, target t) pair, and d term / d x. The row value is their mean, or their sum for kl_divergence.
/// </summary>
internal static class LossTermReference
{
    private const double Eps = 1e-7;   // Keras backend.epsilon()

    public static double Term(Backends.LossKind kind, double x, double t, Backends.LossParams parameters = default) => kind switch
    {
        Backends.LossKind.BinaryFocalCrossentropy => Focal(x, t, parameters).Term,
        Backends.LossKind.BinaryFocalCrossentropyFromLogits => Focal(Sigmoid(x), t, parameters).Term,
        Backends.LossKind.MeanAbsolutePercentageError => 100 * Math.Abs(t - x) / Math.Max(Math.Abs(t), Eps),
        Backends.LossKind.MeanSquaredLogarithmicError => Square(Math.Log(Math.Max(x, Eps) + 1) - Math.Log(Math.Max(t, Eps) + 1)),
        Backends.LossKind.LogCosh => Math.Log(Math.Cosh(x - t)),
        Backends.LossKind.Poisson => x - t * Math.Log(x + Eps),
        Backends.LossKind.Hinge => Math.Max(1 - HingeTarget(t) * x, 0),
        Backends.LossKind.SquaredHinge => Square(Math.Max(1 - HingeTarget(t) * x, 0)),
        Backends.LossKind.KLDivergence => Math.Clamp(t, Eps, 1) * Math.Log(Math.Clamp(t, Eps, 1) / Math.Clamp(x, Eps, 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "LossTermReference: not an elementwise loss kind."),
    };

    public static double Derivative(Backends.LossKind kind, double x, double t, Backends.LossParams parameters = default) => kind switch
    {
        Backends.LossKind.BinaryFocalCrossentropy => Focal(x, t, parameters).Derivative,
        Backends.LossKind.BinaryFocalCrossentropyFromLogits => Focal(Sigmoid(x), t, parameters).Derivative * Sigmoid(x) * (1 - Sigmoid(x)),
        Backends.LossKind.MeanAbsolutePercentageError => 100 * Math.Sign(x - t) / Math.Max(Math.Abs(t), Eps),
        Backends.LossKind.MeanSquaredLogarithmicError => x > Eps ? 2 * (Math.Log(x + 1) - Math.Log(Math.Max(t, Eps) + 1)) / (x + 1) : 0,
        Backends.LossKind.LogCosh => Math.Tanh(x - t),
        Backends.LossKind.Poisson => 1 - t / (x + Eps),
        Backends.LossKind.Hinge => 1 - HingeTarget(t) * x > 0 ? -HingeTarget(t) : 0,
        Backends.LossKind.SquaredHinge => Math.Max(1 - HingeTarget(t) * x, 0) * -2 * HingeTarget(t),
        Backends.LossKind.KLDivergence => x >= Eps && x <= 1 ? -Math.Clamp(t, Eps, 1) / x : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "LossTermReference: not an elementwise loss kind."),
    };

    /// <summary>
    /// Keras binary_focal_crossentropy of probability p against target t (smoothed first): w·f·bce with
    /// f = (1 − p_t)^γ, p_t = t·p + (1 − t)·(1 − p) on the unclipped p, bce on p clipped to [ε, 1 − ε];
    /// and d/dp = w·(f'·bce + f·bce'), f' = γ·(1 − p_t)^(γ−1)·(1 − 2t), bce' = 0 where p is clipped.
    /// </summary>
    private static (double Term, double Derivative) Focal(double p, double t, Backends.LossParams parameters)
    {
        double s = parameters.Value, gamma = parameters.Gamma, alpha = parameters.Alpha;
        t = t * (1 - s) + 0.5 * s;
        double c = Math.Clamp(p, Eps, 1 - Eps);
        double bce = -(t * Math.Log(c) + (1 - t) * Math.Log(1 - c));
        double dBce = p < Eps || p > 1 - Eps ? 0 : -t / p + (1 - t) / (1 - p);
        double q = 1 - (t * p + (1 - t) * (1 - p));
        double f = Math.Pow(q, gamma);
        double dF = gamma == 0 ? 0 : gamma * Math.Pow(q, gamma - 1) * (1 - 2 * t);
        double w = parameters.ClassBalancing ? t * alpha + (1 - t) * (1 - alpha) : 1;
        return (w * f * bce, w * (dF * bce + f * dBce));
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double HingeTarget(double t) => t == 0 ? -1 : t;

    private static double Square(double v) => v * v;
}
