using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>100·mean(|y − ŷ| / max(|y|, 1e-7)) over the last axis (Keras <c>MeanAbsolutePercentageError</c>).</summary>
public sealed class MeanAbsolutePercentageError(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_percentage_error";

    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.MeanAbsolutePercentageError, output, labels);
}
