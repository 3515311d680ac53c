namespace SequentialNet.Backends;

/// <summary>The per-row loss formulas backends implement directly (softmax cross-entropy has its own primitive).</summary>
public enum LossKind
{
    /// <summary>mean_j (p − t)²</summary>
    MeanSquaredError,
    /// <summary>mean_j |p − t|</summary>
    MeanAbsoluteError,
    /// <summary>−mean_j [t·log p + (1−t)·log(1−p)], p clipped to [1e-7, 1−1e-7] (Keras); t smoothed to t·(1−s) + s/2 with s = param.</summary>
    BinaryCrossentropy,
    /// <summary>mean_j [max(z,0) − z·t + log(1+e^−|z|)] on logits z; t smoothed to t·(1−s) + s/2 with s = param.</summary>
    BinaryCrossentropyFromLogits,
    /// <summary>−Σ_j t·log(p/Σp) with p clipped to [1e-7, 1−1e-7] (Keras, probabilities input).</summary>
    CategoricalCrossentropy,
    /// <summary>Sparse variant of <see cref="CategoricalCrossentropy"/>: target is a class index per row.</summary>
    SparseCategoricalCrossentropy,
    /// <summary>mean_j Huber(p − t; delta = param).</summary>
    Huber,
    /// <summary>100·mean_j |t − p| / max(|t|, 1e-7) (Keras mean_absolute_percentage_error).</summary>
    MeanAbsolutePercentageError,
    /// <summary>mean_j (log(max(p, 1e-7) + 1) − log(max(t, 1e-7) + 1))² (Keras mean_squared_logarithmic_error).</summary>
    MeanSquaredLogarithmicError,
    /// <summary>mean_j log(cosh(p − t)), computed as d + softplus(−2d) − log 2 (Keras log_cosh).</summary>
    LogCosh,
    /// <summary>mean_j p − t·log(p + 1e-7) (Keras poisson).</summary>
    Poisson,
    /// <summary>mean_j max(1 − t·p, 0), a target 0 read as −1 (Keras hinge converts 0/1 labels to −1/1).</summary>
    Hinge,
    /// <summary>mean_j max(1 − t·p, 0)², a target 0 read as −1 (Keras squared_hinge).</summary>
    SquaredHinge,
    /// <summary>Σ_j t·log(t/p), t and p clipped to [1e-7, 1] (Keras kl_divergence; a sum, not a mean).</summary>
    KLDivergence,
    /// <summary>max(max_j (1 − t_j)·p_j − Σ_j t_j·p_j + 1, 0) (Keras categorical_hinge; one value per row, not a mean).</summary>
    CategoricalHinge,
    /// <summary>−Σ_j t_j·p_j / (√max(Σ t², 1e-7) · √max(Σ p², 1e-7)): both rows l2-normalized (Keras cosine_similarity loss).</summary>
    CosineSimilarity,
    /// <summary>
    /// mean_j w·(1 − p_t)^γ·bce(t, p) with p_t = t·p + (1 − t)·(1 − p), bce on p clipped to [1e-7, 1 − 1e-7], w = t·α + (1 − t)·(1 − α)
    /// with class balancing else 1, t smoothed to t·(1 − s) + s/2 (Keras binary_focal_crossentropy; <see cref="LossParams"/>).
    /// </summary>
    BinaryFocalCrossentropy,
    /// <summary><see cref="BinaryFocalCrossentropy"/> of sigmoid(z) for logits z (Keras from_logits=True applies the sigmoid first).</summary>
    BinaryFocalCrossentropyFromLogits,
}

/// <summary>How a prediction row is compared with its target when counting correct rows.</summary>
public enum AccuracyKind
{
    /// <summary>(p &gt; threshold) == (t &gt; 0.5), per element, counted as the mean over the row.</summary>
    Binary,
    /// <summary>argmax p == argmax t.</summary>
    Categorical,
    /// <summary>argmax p == t (a class index).</summary>
    SparseCategorical,
}
