using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>mean_j log cosh(ŷ − y) per sample (computed as d + softplus(−2d) − log 2), averaged over samples (weighted: Σ w·v / Σ w), as Keras's LogCoshError (named "logcosh").</summary>
public sealed class LogCoshError : Metric
{
    /// <inheritdoc/>
    public override string Name => "logcosh";
    /// <inheritdoc/>
    public override string Direction => "min";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => RowValueMean.Emit(g, this, RowMetricKind.LogCosh, output, labels, weights, sparseLabels, index);
}
