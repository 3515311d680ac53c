using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>mean(max(1 − y·ŷ, 0)²) over the last axis; targets as <see cref="Hinge"/> (Keras <c>SquaredHinge</c>).</summary>
public sealed class SquaredHinge(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "squared_hinge";

    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.SquaredHinge, output, labels);
}
