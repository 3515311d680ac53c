using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>
/// Area under the ROC curve, as Keras approximates it: confusion counts at <c>numThresholds</c> thresholds
/// [−1e-7, 1/(n−1), …, (n−2)/(n−1), 1 + 1e-7] over every element (positive when p &gt; threshold, target
/// non-zero; weighted by the sample weights as Keras), then a Riemann sum over (FPR, TPR) with the heights chosen by <c>summationMethod</c>:
/// "interpolation" (the trapezoid rule, Keras's default), "minoring" or "majoring".
/// Predictions are expected in [0, 1]. Only curve="ROC" is implemented.
/// </summary>
/// <param name="numThresholds">Number of thresholds, &gt; 1; default 200 (Keras). Uses 4 accumulators each.</param>
/// <param name="curve">"ROC" (the only one implemented; Keras also has "PR").</param>
/// <param name="summationMethod">"interpolation" (default), "minoring" or "majoring".</param>
public sealed class AUC(int numThresholds = 200, string curve = "ROC", string summationMethod = "interpolation") : Metric
{
    private const float Epsilon = 1e-7f;

    /// <summary>Number of thresholds.</summary>
    public int NumThresholds { get; } = numThresholds > 1 ? numThresholds
        : throw new ArgumentException($"Argument `num_thresholds` must be an integer > 1. Received: num_thresholds={numThresholds}.", nameof(numThresholds));

    /// <summary>The curve, "ROC".</summary>
    public string Curve { get; } = curve == "ROC" ? curve
        : curve == "PR" ? throw new NotSupportedException("AUC: curve=\"PR\" is not implemented yet; use curve=\"ROC\".")
        : throw new ArgumentException($"Invalid AUC curve value: \"{curve}\". Expected values are [\"ROC\", \"PR\"].", nameof(curve));

    /// <summary>How the heights of the Riemann sum are chosen.</summary>
    public string SummationMethod { get; } = summationMethod is "interpolation" or "minoring" or "majoring" ? summationMethod
        : throw new ArgumentException($"Invalid AUC summation method value: \"{summationMethod}\". Expected values are [\"interpolation\", \"majoring\", \"minoring\"].", nameof(summationMethod));

    /// <inheritdoc/>
    public override string Name => "auc";
    internal override int Slots => 4 * NumThresholds;
    internal override bool IsMean => false;
    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
        => Confusion.Emit(g, this, output, labels, weights, sparseLabels, index, NumThresholds, 0f - Epsilon, 1f + Epsilon);

    internal override double Result(ReadOnlySpan<float> slots, int samples)
    {
        double area = 0, prevX = 0, prevY = 0;
        for (int i = 0; i < NumThresholds; i++)
        {
            double tp = slots[4 * i], fp = slots[4 * i + 1], tn = slots[4 * i + 2], fn = slots[4 * i + 3];
            double x = Confusion.Ratio(fp, fp + tn), y = Confusion.Ratio(tp, tp + fn);
            if (i > 0)
            {
                double height = SummationMethod switch
                {
                    "minoring" => Math.Min(prevY, y),
                    "majoring" => Math.Max(prevY, y),
                    _ => (prevY + y) / 2,
                };
                area += (prevX - x) * height;
            }
            (prevX, prevY) = (x, y);
        }
        return area;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name, ["num_thresholds"] = NumThresholds, ["curve"] = Curve, ["summation_method"] = SummationMethod,
    };
}
