using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>argmax(p) == argmax(t) with one-hot targets; weighted mean over samples.</summary>
public sealed class CategoricalAccuracy : Metric
{
    /// <inheritdoc/>
    public override string Name => "categorical_accuracy";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => Accuracy.EmitCount(g, this, AccuracyKind.Categorical, ArgMaxInput(output), labels, weights, index, 0f);
}
