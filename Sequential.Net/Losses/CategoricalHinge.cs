using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>
/// max(neg − pos + 1, 0) per sample with pos = Σ y·ŷ and neg = max (1 − y)·ŷ over the last axis (Keras
/// <c>CategoricalHinge</c>); targets are one-hot (0/1) or −1/+1.
/// </summary>
public sealed class CategoricalHinge(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "categorical_hinge";

    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.CategoricalHinge, output, labels);
}
