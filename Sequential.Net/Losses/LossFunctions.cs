namespace SequentialNet.Losses;

/// <summary>
/// Keras's loss functions (<c>keras.losses.mean_squared_error(y_true, y_pred)</c> …): the per-sample values,
/// one per row of <c>yPred</c> (its last axis reduced), in float64 from the formulas the backends are tested against.
/// </summary>
public static class LossFunctions
{
    private static Tensor Of(Loss loss, Tensor yTrue, Tensor yPred) => StandaloneLoss.PerSample(loss, yTrue, yPred);

    /// <summary>mean((y − ŷ)²) over the last axis.</summary>
    public static Tensor MeanSquaredError(Tensor yTrue, Tensor yPred) => Of(new MeanSquaredError(), yTrue, yPred);
    /// <summary>mean(|y − ŷ|) over the last axis.</summary>
    public static Tensor MeanAbsoluteError(Tensor yTrue, Tensor yPred) => Of(new MeanAbsoluteError(), yTrue, yPred);
    /// <summary>100·mean(|y − ŷ| / max(|y|, 1e-7)) over the last axis.</summary>
    public static Tensor MeanAbsolutePercentageError(Tensor yTrue, Tensor yPred) => Of(new MeanAbsolutePercentageError(), yTrue, yPred);
    /// <summary>mean((log(max(ŷ, ε) + 1) − log(max(y, ε) + 1))²) over the last axis.</summary>
    public static Tensor MeanSquaredLogarithmicError(Tensor yTrue, Tensor yPred) => Of(new MeanSquaredLogarithmicError(), yTrue, yPred);
    /// <summary>mean(log(cosh(ŷ − y))) over the last axis.</summary>
    public static Tensor LogCosh(Tensor yTrue, Tensor yPred) => Of(new LogCosh(), yTrue, yPred);
    /// <summary>mean(ŷ − y·log(ŷ + ε)) over the last axis.</summary>
    public static Tensor Poisson(Tensor yTrue, Tensor yPred) => Of(new Poisson(), yTrue, yPred);
    /// <summary>mean(max(1 − y·ŷ, 0)) over the last axis (0 targets read as −1).</summary>
    public static Tensor Hinge(Tensor yTrue, Tensor yPred) => Of(new Hinge(), yTrue, yPred);
    /// <summary>mean(max(1 − y·ŷ, 0)²) over the last axis (0 targets read as −1).</summary>
    public static Tensor SquaredHinge(Tensor yTrue, Tensor yPred) => Of(new SquaredHinge(), yTrue, yPred);
    /// <summary>Σ y·log(y/ŷ) over the last axis, both clipped to [ε, 1].</summary>
    public static Tensor KLDivergence(Tensor yTrue, Tensor yPred) => Of(new KLDivergence(), yTrue, yPred);
    /// <summary>Huber loss with <paramref name="delta"/>, mean over the last axis.</summary>
    public static Tensor Huber(Tensor yTrue, Tensor yPred, float delta = 1f) => Of(new Huber(delta), yTrue, yPred);
    /// <summary>Binary cross-entropy, mean over the last axis.</summary>
    public static Tensor BinaryCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false, float labelSmoothing = 0f)
        => Of(new BinaryCrossentropy(fromLogits, labelSmoothing), yTrue, yPred);
    /// <summary>Categorical cross-entropy over the last axis.</summary>
    public static Tensor CategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false, float labelSmoothing = 0f)
        => Of(new CategoricalCrossentropy(fromLogits, labelSmoothing), yTrue, yPred);
    /// <summary>max(max((1 − y)·ŷ) − Σ y·ŷ + 1, 0) over the last axis.</summary>
    public static Tensor CategoricalHinge(Tensor yTrue, Tensor yPred) => Of(new CategoricalHinge(), yTrue, yPred);
    /// <summary>−Σ l2_normalize(y)·l2_normalize(ŷ) over the last axis.</summary>
    public static Tensor CosineSimilarity(Tensor yTrue, Tensor yPred, int axis = -1) => Of(new CosineSimilarity(axis), yTrue, yPred);
    /// <summary>Focal binary cross-entropy, mean over the last axis (see <see cref="Losses.BinaryFocalCrossentropy"/>).</summary>
    public static Tensor BinaryFocalCrossentropy(Tensor yTrue, Tensor yPred, bool applyClassBalancing = false, float alpha = 0.25f,
        float gamma = 2f, bool fromLogits = false, float labelSmoothing = 0f, int axis = -1)
        => Of(new BinaryFocalCrossentropy(applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing, axis), yTrue, yPred);
    /// <summary>Categorical cross-entropy with one class index per sample.</summary>
    public static Tensor SparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false)
        => Of(new SparseCategoricalCrossentropy(fromLogits), yTrue, yPred);
}
