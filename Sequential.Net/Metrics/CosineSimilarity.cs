using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>Cosine of the angle between target and prediction rows (each l2-normalized with Keras's ε = 1e-7 floor on the squared norm), averaged over samples (weighted: Σ w·v / Σ w); larger is better, as Keras's CosineSimilarity metric (axis −1).</summary>
public sealed class CosineSimilarity : Metric
{
    /// <inheritdoc/>
    public override string Name => "cosine_similarity";
    /// <inheritdoc/>
    public override string Direction => "max";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => RowValueMean.Emit(g, this, RowMetricKind.CosineSimilarity, output, labels, weights, sparseLabels, index);
}
