using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>100 · mean_j |(y − ŷ) / max(|y|, 1e-7)| per sample, averaged over samples (weighted: Σ w·v / Σ w), as Keras.</summary>
public sealed class MeanAbsolutePercentageError : Metric
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_percentage_error";
    /// <inheritdoc/>
    public override string Direction => "min";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => RowValueMean.Emit(g, this, RowMetricKind.MeanAbsolutePercentageError, output, labels, weights, sparseLabels, index);
}
