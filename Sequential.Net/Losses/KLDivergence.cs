using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>Σ y·log(y/ŷ) over the last axis with y and ŷ clipped to [1e-7, 1] (Keras <c>KLDivergence</c>; a sum over classes, not a mean).</summary>
public sealed class KLDivergence(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "kl_divergence";

    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.KLDivergence, output, labels);
}
