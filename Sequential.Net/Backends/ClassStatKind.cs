namespace SequentialNet.Backends;

/// <summary>
/// The per-class (per output column) sums behind F-beta and R² (<see cref="IBackend.CountClassStats"/>):
/// four accumulators per column c, at acc[index + 4c + k].
/// </summary>
public enum ClassStatKind
{
    /// <summary>
    /// F-beta with a threshold: ŷ = 1 when p &gt; threshold, else 0; k = 0..3: Σ w·ŷ·t (true positives),
    /// Σ w·ŷ·(1 − t) (false positives), Σ w·(1 − ŷ)·t (false negatives), Σ w·t (the support, Keras's intermediate_weights).
    /// </summary>
    FBetaThreshold,
    /// <summary>F-beta without a threshold: ŷ = 1 when p ≥ the row's largest p and |p| &gt; 1e-9 (Keras), the four sums as above.</summary>
    FBetaTopScore,
    /// <summary>R²: k = 0..3: Σ w·t, Σ t·(w·t), Σ (t − p)²·w, Σ w (Keras's sum, squared_sum, total_mse, count).</summary>
    R2,
}
