using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>mean_j (log(max(ŷ, 1e-7) + 1) − log(max(y, 1e-7) + 1))² per sample, averaged over samples (weighted: Σ w·v / Σ w), as Keras.</summary>
public sealed class MeanSquaredLogarithmicError : Metric
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_logarithmic_error";
    /// <inheritdoc/>
    public override string Direction => "min";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => RowValueMean.Emit(g, this, RowMetricKind.MeanSquaredLogarithmicError, output, labels, weights, sparseLabels, index);
}
