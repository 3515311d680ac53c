using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>mean(max(1 − y·ŷ, 0)) over the last axis; targets are −1 or 1, and 0 is read as −1 (Keras converts 0/1 labels to −1/1; it does so when a whole batch is 0/1, here per element, which is the same for −1/1 and 0/1 targets).</summary>
public sealed class Hinge(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "hinge";

    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.Hinge, output, labels);
}
