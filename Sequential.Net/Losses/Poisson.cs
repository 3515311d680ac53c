using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>mean(ŷ − y·log(ŷ + 1e-7)) over the last axis (Keras <c>Poisson</c>).</summary>
public sealed class Poisson(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "poisson";

    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.Poisson, output, labels);
}
