using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

/// <summary>
/// "accuracy", resolved like Keras (compile_utils.get_metric): output width 1 → binary; class-index
/// targets → sparse categorical; otherwise categorical. Reported under the name "accuracy".
/// </summary>
public sealed class Accuracy : Metric
{
    /// <inheritdoc/>
    public override string Name => "accuracy";

    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
    {
        AccuracyKind kind = output.Cols == 1 ? AccuracyKind.Binary
            : sparseLabels ? AccuracyKind.SparseCategorical : AccuracyKind.Categorical;
        EmitCount(g, this, kind, kind == AccuracyKind.Binary ? output : ArgMaxInput(output), labels, weights, index, 0.5f);
    }

    /// <summary>Σ w·correct (the correct rows when unweighted) into slot <paramref name="index"/>.</summary>
    internal static void EmitCount(GraphBuilder g, Metric metric, AccuracyKind kind, Node output, Node labels, Node? weights, int index, float threshold)
    {
        metric.RequireRowWeights(output, weights);
        g.Effect(new CountCorrectOp(kind, index, threshold), weights == null ? [output, labels] : [output, labels, weights]);
    }
}
