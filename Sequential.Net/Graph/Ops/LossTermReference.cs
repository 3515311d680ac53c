namespace SequentialNet.Graph.Ops;

/// <summary>
/// Float64 terms of the elementwise losses Keras defines in losses/losses.py (mean_absolute_percentage_error,
/// mean_squared_logarithmic_error, log_cosh, poisson, hinge, squared_hinge, kl_divergence), for one
/// (prediction x, target t) pair, and d term / d x. The row value is their mean, or their sum for kl_divergence.
/// </summary>
internal static class LossTermReference
{
    private const double Eps = 1e-7;   // Keras backend.epsilon()

    public static double Term(Backends.LossKind kind, double x, double t) => kind switch
    {
        Backends.LossKind.MeanAbsolutePercentageError => 100 * Math.Abs(t - x) / Math.Max(Math.Abs(t), Eps),
        Backends.LossKind.MeanSquaredLogarithmicError => Square(Math.Log(Math.Max(x, Eps) + 1) - Math.Log(Math.Max(t, Eps) + 1)),
        Backends.LossKind.LogCosh => Math.Log(Math.Cosh(x - t)),
        Backends.LossKind.Poisson => x - t * Math.Log(x + Eps),
        Backends.LossKind.Hinge => Math.Max(1 - HingeTarget(t) * x, 0),
        Backends.LossKind.SquaredHinge => Square(Math.Max(1 - HingeTarget(t) * x, 0)),
        Backends.LossKind.KLDivergence => Math.Clamp(t, Eps, 1) * Math.Log(Math.Clamp(t, Eps, 1) / Math.Clamp(x, Eps, 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "LossTermReference: not an elementwise loss kind."),
    };

    public static double Derivative(Backends.LossKind kind, double x, double t) => kind switch
    {
        Backends.LossKind.MeanAbsolutePercentageError => 100 * Math.Sign(x - t) / Math.Max(Math.Abs(t), Eps),
        Backends.LossKind.MeanSquaredLogarithmicError => x > Eps ? 2 * (Math.Log(x + 1) - Math.Log(Math.Max(t, Eps) + 1)) / (x + 1) : 0,
        Backends.LossKind.LogCosh => Math.Tanh(x - t),
        Backends.LossKind.Poisson => 1 - t / (x + Eps),
        Backends.LossKind.Hinge => 1 - HingeTarget(t) * x > 0 ? -HingeTarget(t) : 0,
        Backends.LossKind.SquaredHinge => Math.Max(1 - HingeTarget(t) * x, 0) * -2 * HingeTarget(t),
        Backends.LossKind.KLDivergence => x >= Eps && x <= 1 ? -Math.Clamp(t, Eps, 1) / x : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "LossTermReference: not an elementwise loss kind."),
    };

    private static double HingeTarget(double t) => t == 0 ? -1 : t;

    private static double Square(double v) => v * v;
}
