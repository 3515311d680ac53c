using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

/// <summary>
/// Fraction of rows whose one-hot target class (its argmax) is among the <c>k</c> largest predictions.
/// Ties follow TensorFlow's in_top_k: the class counts when fewer than k classes score strictly higher,
/// so classes tied at the boundary all count; a non-finite score never counts.
/// </summary>
/// <param name="k">How many of the largest predictions count, ≥ 1; default 5 (Keras).</param>
public sealed class TopKCategoricalAccuracy(int k = 5) : Metric
{
    /// <summary>How many of the largest predictions count.</summary>
    public int K { get; } = TopK.Check(k);

    /// <inheritdoc/>
    public override string Name => "top_k_categorical_accuracy";

    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
    {
        if (sparseLabels)
            throw new ArgumentException($"TopKCategoricalAccuracy expects one-hot targets, but the loss takes class indices. Use SparseTopKCategoricalAccuracy (\"sparse_top_k_categorical_accuracy\") instead.");
        TopK.Emit(g, this, output, labels, weights, index, K, sparse: false);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["k"] = K };
}

/// <summary>
/// Fraction of rows whose class-index target is among the <c>k</c> largest predictions, with the tie rule
/// of <see cref="TopKCategoricalAccuracy"/>. A class index outside [0, classes) never counts.
/// </summary>
/// <param name="k">How many of the largest predictions count, ≥ 1; default 5 (Keras).</param>
public sealed class SparseTopKCategoricalAccuracy(int k = 5) : Metric
{
    /// <summary>How many of the largest predictions count.</summary>
    public int K { get; } = TopK.Check(k);

    /// <inheritdoc/>
    public override string Name => "sparse_top_k_categorical_accuracy";

    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
    {
        if (!sparseLabels)
            throw new ArgumentException($"SparseTopKCategoricalAccuracy expects class-index targets, but the loss takes one-hot targets. Use TopKCategoricalAccuracy (\"top_k_categorical_accuracy\") instead.");
        TopK.Emit(g, this, output, labels, weights, index, K, sparse: true);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["k"] = K };
}

internal static class TopK
{
    public static int Check(int k) => k >= 1 ? k
        : throw new ArgumentException($"Argument `k` must be an integer >= 1. Received: k={k}.", nameof(k));

    /// <summary>Σ w over the rows in the top k (their count when unweighted) into slot <paramref name="index"/>.</summary>
    public static void Emit(GraphBuilder g, Metric metric, Node output, Node labels, Node? weights, int index, int k, bool sparse)
    {
        metric.RequireRowWeights(output, weights);
        g.Effect(new CountTopKOp(index, k, sparse), weights == null ? [output, labels] : [output, labels, weights]);
    }
}
