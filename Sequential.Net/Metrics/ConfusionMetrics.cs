using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

/// <summary>
/// TP / (TP + FP) over every element of the predictions (binary or multi-label): an element is predicted
/// positive when p &gt; <c>thresholds</c> and actually positive when its target is non-zero; with sample or
/// class weights each element counts its sample's weight (Keras). 0 when nothing (or only weight 0) is
/// predicted positive (Keras's divide_no_nan).
/// </summary>
/// <param name="thresholds">Decision threshold in [0, 1]; default 0.5 (Keras).</param>
public sealed class Precision(float thresholds = 0.5f) : Metric
{
    /// <summary>Decision threshold.</summary>
    public float Thresholds { get; } = Confusion.CheckThreshold(thresholds);

    /// <inheritdoc/>
    public override string Name => "precision";
    internal override int Slots => 4;
    internal override bool IsMean => false;
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => Confusion.Emit(g, this, output, labels, weights, sparseLabels, index, 1, Thresholds, Thresholds);
    internal override double Result(ReadOnlySpan<float> slots, int samples) => Confusion.Ratio(slots[0], slots[0] + slots[1]);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["thresholds"] = Thresholds };
}

/// <summary>
/// TP / (TP + FN) over every element of the predictions, with <see cref="Precision"/>'s rule for
/// positives; 0 when there is no positive target.
/// </summary>
/// <param name="thresholds">Decision threshold in [0, 1]; default 0.5 (Keras).</param>
public sealed class Recall(float thresholds = 0.5f) : Metric
{
    /// <summary>Decision threshold.</summary>
    public float Thresholds { get; } = Confusion.CheckThreshold(thresholds);

    /// <inheritdoc/>
    public override string Name => "recall";
    internal override int Slots => 4;
    internal override bool IsMean => false;
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => Confusion.Emit(g, this, output, labels, weights, sparseLabels, index, 1, Thresholds, Thresholds);
    internal override double Result(ReadOnlySpan<float> slots, int samples) => Confusion.Ratio(slots[0], slots[0] + slots[3]);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["thresholds"] = Thresholds };
}

/// <summary>Shared checks and emission of the confusion-count metrics.</summary>
internal static class Confusion
{
    public static float CheckThreshold(float t) => t is >= 0f and <= 1f ? t
        : throw new ArgumentException($"Threshold values must be in [0, 1]. Received: thresholds={t}.", "thresholds");

    public static double Ratio(double num, double den) => den == 0 ? 0 : num / den;

    public static void Emit(GraphBuilder g, Metric metric, Node output, Node labels, Node? weights, bool sparseLabels, int index, int count, float first, float last)
    {
        if (sparseLabels)
            throw new ArgumentException($"{metric.GetType().Name} expects targets shaped like the predictions (0/1 per element), but the loss takes class indices.");
        metric.RequireRowWeights(output, weights);
        g.Effect(new CountThresholdsOp(index, count, first, last), weights == null ? [output, labels] : [output, labels, weights]);
    }
}
