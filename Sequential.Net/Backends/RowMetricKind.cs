namespace SequentialNet.Backends;

/// <summary>
/// The per-row values of the regression metrics (Keras 3's regression_metrics.py and the loss functions they
/// call), over a row of predictions p and targets t of length C, ε = 1e-7 (Keras's backend.epsilon()).
/// The integer values are the kernel's (kernels/metrics.cu).
/// </summary>
public enum RowMetricKind
{
    /// <summary>mean_j (t − p)² (MeanSquaredError, and the squared error RootMeanSquaredError averages).</summary>
    MeanSquaredError,
    /// <summary>100 · mean_j |(t − p) / max(|t|, ε)| (MeanAbsolutePercentageError).</summary>
    MeanAbsolutePercentageError,
    /// <summary>mean_j (log(max(p, ε) + 1) − log(max(t, ε) + 1))² (MeanSquaredLogarithmicError).</summary>
    MeanSquaredLogarithmicError,
    /// <summary>Σ_j t·p / (√max(Σ t², ε) · √max(Σ p², ε)): both rows l2-normalized as keras.ops.normalize (CosineSimilarity).</summary>
    CosineSimilarity,
    /// <summary>mean_j d + softplus(−2d) − log 2 with d = p − t, i.e. log cosh d without overflow (LogCoshError).</summary>
    LogCosh,
}
