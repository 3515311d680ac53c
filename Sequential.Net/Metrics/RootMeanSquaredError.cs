using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>√(mean over samples of mean_j (y − ŷ)²) (weighted: √(Σ w·v / Σ w)), as Keras's RootMeanSquaredError.</summary>
public sealed class RootMeanSquaredError : Metric
{
    /// <inheritdoc/>
    public override string Name => "root_mean_squared_error";
    /// <inheritdoc/>
    public override string Direction => "min";
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => RowValueMean.Emit(g, this, RowMetricKind.MeanSquaredError, output, labels, weights, sparseLabels, index);

    /// <summary>Keras: sqrt(divide_no_nan(total, count)) in float32.</summary>
    internal override double FromMean(float total, float count) => MathF.Sqrt(count == 0f ? 0f : total / count);
}
