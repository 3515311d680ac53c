using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>mean_j (y − ŷ)² per sample, averaged over samples (weighted: Σ w·v / Σ w), as Keras's MeanSquaredError metric.</summary>
public sealed class MeanSquaredError : Metric
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_error";
    /// <inheritdoc/>
    public override string Direction => "min";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => RowValueMean.Emit(g, this, RowMetricKind.MeanSquaredError, output, labels, weights, sparseLabels, index);
}
