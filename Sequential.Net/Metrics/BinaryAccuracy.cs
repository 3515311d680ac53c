using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>
/// Fraction of elements with (p &gt; threshold) == (t &gt; 0.5), averaged per sample, then the weighted mean
/// over samples (Keras's binary_accuracy in a MeanMetricWrapper).
/// </summary>
/// <param name="threshold">Decision threshold in [0, 1]; default 0.5 (Keras).</param>
public sealed class BinaryAccuracy(float threshold = 0.5f) : Metric
{
    /// <summary>Decision threshold.</summary>
    public float Threshold { get; } = threshold is >= 0f and <= 1f ? threshold
        : throw new ArgumentException($"Invalid value for argument `threshold`. Expected a value in interval (0, 1). Received: threshold={threshold}.", nameof(threshold));

    /// <inheritdoc/>
    public override string Name => "binary_accuracy";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => Accuracy.EmitCount(g, this, AccuracyKind.Binary, output, labels, weights, index, Threshold);
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["threshold"] = Threshold };
}
