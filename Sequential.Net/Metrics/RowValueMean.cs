using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

/// <summary>Emission shared by the regression metrics: a per-row value (<see cref="RowMetricKind"/>) averaged over samples.</summary>
internal static class RowValueMean
{
    /// <summary>Σ (w·) value(row) into slot <paramref name="index"/>.</summary>
    public static void Emit(GraphBuilder g, Metric metric, RowMetricKind kind, Node output, Node labels, Node? weights, bool sparseLabels, int index)
    {
        if (sparseLabels)
            throw new ArgumentException($"{metric.GetType().Name} expects targets shaped like the predictions, but the loss takes class indices.");
        metric.RequireRowWeights(output, weights);
        Node values = g.Add(new RowMetricOp(kind), [output, labels], output.Shape[..^1], output.Batched, metric.Name);
        g.Effect(new AccumulateOp(index, 1f), weights == null ? values : g.Binary(new Mul(), values, weights));
    }
}
