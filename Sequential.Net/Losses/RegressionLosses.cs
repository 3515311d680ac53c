using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>mean((y − ŷ)²) over the last axis.</summary>
public sealed class MeanSquaredError(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_error";
    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.MeanSquaredError, output, labels);
}

/// <summary>mean(|y − ŷ|) over the last axis.</summary>
public sealed class MeanAbsoluteError(string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";
    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.MeanAbsoluteError, output, labels);
}

/// <summary>Huber loss: ½d² for |d| ≤ delta, else delta·(|d| − ½delta); mean over the last axis.</summary>
public sealed class Huber(float delta = 1f, string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <summary>The switch point between quadratic and linear.</summary>
    public float Delta { get; } = delta > 0 ? delta : throw new ArgumentException($"Huber: expected delta > 0. Received: {delta}.", nameof(delta));
    /// <inheritdoc/>
    public override string Name => "huber";
    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.Huber, output, labels, Delta);
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["reduction"] = Reduction, ["delta"] = Delta };
}
