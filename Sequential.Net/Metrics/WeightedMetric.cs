using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

/// <summary>
/// A metric of <c>Compile(weightedMetrics:)</c>: the wrapped metric, fed the sample and class weights (Keras 3's
/// <c>weighted_metrics</c>). A mean metric gets one more slot, Σ (w − 1) over the rows seen, so that its result
/// is Keras's Mean: Σ w·v / Σ w with Σ w = samples + Σ (w − 1), in float32, 0 when Σ w = 0 (divide_no_nan).
/// Named as Keras names it: the metric's own name, or "weighted_" + it when <c>metrics</c> already reports
/// that name.
/// </summary>
internal sealed class WeightedMetric(Metric inner, string name) : Metric
{
    /// <summary>The metric being weighted (its config is what is saved, under "weighted_metrics").</summary>
    public Metric Inner { get; } = inner is WeightedMetric ? throw new ArgumentException("A weighted metric cannot be weighted twice.", nameof(inner)) : inner;

    /// <inheritdoc/>
    public override string Name => name;
    /// <inheritdoc/>
    public override string Direction => Inner.Direction;
    internal override bool IsMean => Inner.IsMean;
    internal override int Slots => Inner.Slots + (IsMean ? 1 : 0);
    internal override void BuildFor(int[] sampleShape, bool forCompile) => Inner.BuildFor(sampleShape, forCompile);

    internal override double Result(ReadOnlySpan<float> slots, int samples)
    {
        if (!IsMean) return Inner.Result(slots, samples);
        return Inner.FromMean(slots[0], (float)samples * RowsPerSample + slots[Inner.Slots]);   // Σ w over the rows seen
    }

    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
    {
        Inner.Emit(g, output, labels, weights, sparseLabels, index);
        if (IsMean && weights != null) g.Effect(new AccumulateExcessWeightOp(index + Inner.Slots), weights);
    }

    internal override void EmitCompiled(GraphBuilder g, Node output, Node labels, Node? sampleWeights, bool sparseLabels, int index)
    {
        if (sampleWeights == null) throw new InvalidOperationException($"Metric \"{Name}\": the graph has no sample-weight input.");
        Emit(g, output, labels, sampleWeights, sparseLabels, index);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => Inner.GetConfig();

    /// <summary>
    /// Compile's metric list: <paramref name="metrics"/> as given, then <paramref name="weightedMetrics"/> wrapped
    /// and named by Keras's rule. A metric listed twice in one list is an error, as before.
    /// </summary>
    public static Metric[] Combine(IEnumerable<Metric>? metrics, IEnumerable<Metric>? weightedMetrics)
    {
        Metric[] plain = metrics?.ToArray() ?? [];
        CheckDistinct(plain, "metrics");
        Metric[] weighted = weightedMetrics?.ToArray() ?? [];
        CheckDistinct(weighted, "weightedMetrics");
        var taken = plain.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var wrapped = weighted.Select(m => m is WeightedMetric already ? already
            : new WeightedMetric(m, taken.Contains(m.Name) ? "weighted_" + m.Name : m.Name));
        return [.. plain, .. wrapped];
    }

    private static void CheckDistinct(Metric[] list, string argument)
    {
        var duplicate = list.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new ArgumentException($"Compile: metric \"{duplicate.Key}\" is listed twice in {argument}.", argument);
    }
}
