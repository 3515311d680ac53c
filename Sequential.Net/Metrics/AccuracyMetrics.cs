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

    internal override void Emit(GraphBuilder g, Node output, Node labels, bool sparseLabels, int index)
    {
        AccuracyKind kind = output.Cols == 1 ? AccuracyKind.Binary
            : sparseLabels ? AccuracyKind.SparseCategorical : AccuracyKind.Categorical;
        g.Effect(new CountCorrectOp(kind, index, 0.5f), kind == AccuracyKind.Binary ? output : ArgMaxInput(output), labels);
    }
}

/// <summary>Fraction of elements with (p &gt; threshold) == (t &gt; 0.5), averaged per sample.</summary>
public sealed class BinaryAccuracy(float threshold = 0.5f) : Metric
{
    /// <inheritdoc/>
    public override string Name => "binary_accuracy";
    internal override void Emit(GraphBuilder g, Node output, Node labels, bool sparseLabels, int index)
        => g.Effect(new CountCorrectOp(AccuracyKind.Binary, index, threshold), output, labels);
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["threshold"] = threshold };
}

/// <summary>argmax(p) == argmax(t) with one-hot targets.</summary>
public sealed class CategoricalAccuracy : Metric
{
    /// <inheritdoc/>
    public override string Name => "categorical_accuracy";
    internal override void Emit(GraphBuilder g, Node output, Node labels, bool sparseLabels, int index)
        => g.Effect(new CountCorrectOp(AccuracyKind.Categorical, index, 0f), ArgMaxInput(output), labels);
}

/// <summary>argmax(p) == t with class-index targets.</summary>
public sealed class SparseCategoricalAccuracy : Metric
{
    /// <inheritdoc/>
    public override string Name => "sparse_categorical_accuracy";
    internal override void Emit(GraphBuilder g, Node output, Node labels, bool sparseLabels, int index)
        => g.Effect(new CountCorrectOp(AccuracyKind.SparseCategorical, index, 0f), ArgMaxInput(output), labels);
}

/// <summary>mean |y − ŷ| per sample, averaged over samples.</summary>
public sealed class MeanAbsoluteError : Metric
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";
    /// <inheritdoc/>
    public override string Direction => "min";
    internal override void Emit(GraphBuilder g, Node output, Node labels, bool sparseLabels, int index)
        => g.Effect(new AccumulateOp(index, 1f), g.Loss(LossKind.MeanAbsoluteError, output, labels));
}
