using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>argmax(p) == t with class-index targets; weighted mean over samples.</summary>
public sealed class SparseCategoricalAccuracy : Metric
{
    /// <inheritdoc/>
    public override string Name => "sparse_categorical_accuracy";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => Accuracy.EmitCount(g, this, AccuracyKind.SparseCategorical, ArgMaxInput(output), labels, weights, index, 0f);
}
