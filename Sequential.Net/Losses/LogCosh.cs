using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>mean(log(cosh(ŷ − y))) over the last axis, computed as d + softplus(−2d) − log 2 so it does not overflow (Keras <c>LogCosh</c>).</summary>
public sealed class LogCosh(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "log_cosh";

    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.LogCosh, output, labels);
}
