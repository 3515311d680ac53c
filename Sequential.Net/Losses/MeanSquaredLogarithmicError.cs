using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>mean((log(max(ŷ, 1e-7) + 1) − log(max(y, 1e-7) + 1))²) over the last axis (Keras <c>MeanSquaredLogarithmicError</c>).</summary>
public sealed class MeanSquaredLogarithmicError(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_logarithmic_error";

    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.MeanSquaredLogarithmicError, output, labels);
}
