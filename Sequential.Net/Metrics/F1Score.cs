namespace SequentialNet.Metrics;

/// <summary>F-1 score: <see cref="FBetaScore"/> with β = 1 (Keras 3's F1Score), the harmonic mean of precision and recall.</summary>
/// <param name="average">null, "micro", "macro" or "weighted" (Keras's default is null, one value per class).</param>
/// <param name="threshold">In (0, 1]; null: each row's top score is the prediction.</param>
/// <param name="name">Name in logs; default "f1_score".</param>
/// <param name="dtype">"float32" (the only one) or null.</param>
public sealed class F1Score(string? average = null, double? threshold = null, string? name = null, string? dtype = null)
    : FBetaScore(average, 1.0, threshold, name, dtype)
{
    private protected override string DefaultName => "f1_score";

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config.Remove("beta");
        return config;
    }
}
