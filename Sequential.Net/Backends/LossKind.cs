namespace SequentialNet.Backends;

/// <summary>The per-row loss formulas backends implement directly (softmax cross-entropy has its own primitive).</summary>
public enum LossKind
{
    /// <summary>mean_j (p − t)²</summary>
    MeanSquaredError,
    /// <summary>mean_j |p − t|</summary>
    MeanAbsoluteError,
    /// <summary>−mean_j [t·log p + (1−t)·log(1−p)], p clipped to [1e-7, 1−1e-7] (Keras).</summary>
    BinaryCrossentropy,
    /// <summary>mean_j [max(z,0) − z·t + log(1+e^−|z|)] on logits z.</summary>
    BinaryCrossentropyFromLogits,
    /// <summary>−Σ_j t·log(p/Σp) with p clipped to [1e-7, 1−1e-7] (Keras, probabilities input).</summary>
    CategoricalCrossentropy,
    /// <summary>Sparse variant of <see cref="CategoricalCrossentropy"/>: target is a class index per row.</summary>
    SparseCategoricalCrossentropy,
    /// <summary>mean_j Huber(p − t; delta = param).</summary>
    Huber,
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
