using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>
/// −Σ l2_normalize(y)·l2_normalize(ŷ) over the last axis (Keras <c>CosineSimilarity</c> loss): −1 when the rows
/// point the same way, 0 when orthogonal or when either row is zero. Each squared norm is floored at 1e-7 as
/// keras.ops.normalize does.
/// </summary>
public sealed class CosineSimilarity : Loss
{
    /// <summary>A cosine-similarity loss along <paramref name="axis"/> (only the last axis, −1, is supported).</summary>
    /// <exception cref="NotSupportedException">An axis other than −1.</exception>
    public CosineSimilarity(int axis = -1, string reduction = LossReductions.SumOverBatchSize) : base(reduction)
    {
        Axis = axis == -1 ? axis
            : throw new NotSupportedException($"CosineSimilarity: expected axis=-1 (the features axis; other axes are not supported). Received: axis={axis}.");
    }

    /// <summary>The features axis: −1.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override string Name => "cosine_similarity";

    internal override Node Emit(GraphBuilder g, Node output, Node labels) => g.Loss(LossKind.CosineSimilarity, output, labels);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["reduction"] = Reduction, ["axis"] = Axis };
}
