using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

/// <summary>mean |y − ŷ| per sample, averaged over samples (weighted: Σ w·mae / Σ w).</summary>
public sealed class MeanAbsoluteError : Metric
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";
    /// <inheritdoc/>
    public override string Direction => "min";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
    {
        RequireRowWeights(output, weights);
        Node perSample = g.Loss(LossKind.MeanAbsoluteError, output, labels);
        g.Effect(new AccumulateOp(index, 1f), weights == null ? perSample : g.Binary(new Mul(), perSample, weights));
    }
}
