namespace SequentialNet.Losses;

/// <summary>Keras's loss reductions (<c>losses/loss.py reduce_values</c>), by their Keras names.</summary>
public static class LossReductions
{
    /// <summary>Σ w·l / number of values: Keras's default.</summary>
    public const string SumOverBatchSize = "sum_over_batch_size";
    /// <summary>Σ w·l.</summary>
    public const string Sum = "sum";
    /// <summary>Σ w·l / number of values (Keras 3 "mean").</summary>
    public const string Mean = "mean";
    /// <summary>Σ w·l / Σ w.</summary>
    public const string MeanWithSampleWeight = "mean_with_sample_weight";
    /// <summary>The weighted per-sample values, unreduced.</summary>
    public const string None = "none";

    private static readonly string[] All = [SumOverBatchSize, Sum, Mean, MeanWithSampleWeight, None];

    /// <summary><paramref name="reduction"/> in its Keras spelling; null is "none", as Keras's None.</summary>
    internal static string Check(string? reduction, string owner)
    {
        if (reduction == null) return None;
        foreach (string known in All)
            if (string.Equals(known, reduction, StringComparison.OrdinalIgnoreCase)) return known;
        throw new ArgumentException($"{owner}: expected reduction to be one of {string.Join(", ", All.Select(r => $"\"{r}\""))}. Received: reduction=\"{reduction}\".", nameof(reduction));
    }

    /// <summary>Whether the reduction is the per-batch mean Fit trains on.</summary>
    internal static bool IsBatchMean(string reduction) => reduction is SumOverBatchSize or Mean;

    /// <summary>Reduces per-sample values (shape <c>perSample.Shape</c>) weighted by <paramref name="sampleWeight"/> (per sample, or shaped like the values).</summary>
    internal static Tensor Reduce(string reduction, Tensor perSample, Tensor? sampleWeight, string loss)
    {
        var values = perSample.Data;
        double[] weights = Weights(values.Length, perSample, sampleWeight, loss);
        double sum = 0, weightSum = 0;
        var weighted = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i] * weights[i];
            weighted[i] = (float)v;
            sum += v;
            weightSum += weights[i];
        }
        return reduction switch
        {
            None => new Tensor(weighted, perSample.Shape),
            Sum => Scalar(sum),
            MeanWithSampleWeight => Scalar(weightSum == 0 ? 0 : sum / weightSum),
            _ => Scalar(values.Length == 0 ? 0 : sum / values.Length),
        };
    }

    private static double[] Weights(int n, Tensor perSample, Tensor? sampleWeight, string loss)
    {
        var w = new double[n];
        if (sampleWeight == null) { Array.Fill(w, 1.0); return w; }
        var sw = sampleWeight.Data;
        if (sw.Length == n) { for (int i = 0; i < n; i++) w[i] = sw[i]; return w; }
        if (sw.Length == 1) { Array.Fill(w, sw[0]); return w; }   // Keras's scalar sample_weight
        int rows = perSample.Shape.Length == 0 ? 1 : perSample.Shape[0];
        if (sw.Length != rows)
            throw new ArgumentException($"Loss \"{loss}\": expected sampleWeight with one value, one per sample ({rows}) or one per loss value ({n}). Received: {Tensor.FormatShape(sampleWeight.Shape)}.", nameof(sampleWeight));
        int per = rows == 0 ? 0 : n / rows;
        for (int i = 0; i < n; i++) w[i] = sw[i / per];
        return w;
    }

    private static Tensor Scalar(double v) => new([(float)v]);
}
