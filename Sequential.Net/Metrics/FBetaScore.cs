using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

/// <summary>
/// F-beta score, as Keras 3's FBetaScore: per class (output column) c, precision_c = TP / (TP + FP + ε),
/// recall_c = TP / (TP + FN + ε) and F_c = (1 + β²)·P·R / (β²·P + R + ε), ε = 1e-7. A prediction counts as 1 when
/// p &gt; <c>threshold</c>, or, with no threshold, when p is its row's largest value (ties all count) and |p| &gt; 1e-9;
/// targets are used as given (0/1 one-hot or multi-label rows). TP = Σ w·ŷ·t, FP = Σ w·ŷ·(1 − t), FN = Σ w·(1 − ŷ)·t
/// with w the sample weight (1 in <c>Compile(metrics:)</c>). <c>average</c>: null (one value per class, read with
/// <see cref="ResultPerClass"/>; refused by Compile, whose logs hold one number), "micro" (the counts summed over the
/// classes first), "macro" (the mean of F_c), "weighted" (Σ F_c·support_c / (Σ support_c + ε), support_c = Σ w·t).
/// Expects predictions of shape (batch, classes); uses 4 accumulators per class, sized at Compile from the output width.
/// </summary>
public class FBetaScore : Metric
{
    private readonly OutputWidth _width = new();
    private readonly string? _name;

    /// <param name="average">null, "micro", "macro" or "weighted" (Keras's default is null).</param>
    /// <param name="beta">β &gt; 0: recall weighs β times as much as precision.</param>
    /// <param name="threshold">In (0, 1]; null: each row's top score is the prediction.</param>
    /// <param name="name">Name in logs; default "fbeta_score".</param>
    /// <param name="dtype">"float32" (the only one) or null.</param>
    public FBetaScore(string? average = null, double beta = 1.0, double? threshold = null, string? name = null, string? dtype = null)
    {
        Average = average is null or "micro" or "macro" or "weighted" ? average
            : throw new ArgumentException($"Invalid `average` argument value. Expected one of: {{None, 'micro', 'macro', 'weighted'}}. Received: average={average}", nameof(average));
        Beta = beta > 0 && double.IsFinite(beta) ? beta
            : throw new ArgumentException($"Invalid `beta` argument value. It should be > 0. Received: beta={beta}", nameof(beta));
        Threshold = threshold is null || threshold > 0 && threshold <= 1 ? threshold
            : throw new ArgumentException($"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. Received: threshold={threshold}", nameof(threshold));
        Dtype = MetricDtype.Check(dtype, GetType().Name);
        _name = name;
    }

    /// <summary>null, "micro", "macro" or "weighted".</summary>
    public string? Average { get; }
    /// <summary>β.</summary>
    public double Beta { get; }
    /// <summary>The decision threshold, or null for each row's top score.</summary>
    public double? Threshold { get; }
    /// <summary>"float32".</summary>
    public string Dtype { get; }

    /// <inheritdoc/>
    public override string Name => _name ?? DefaultName;
    /// <summary>The name when none is given.</summary>
    private protected virtual string DefaultName => "fbeta_score";

    internal override int Slots => 4 * _width.Value;
    internal override bool IsMean => false;

    internal override void BuildFor(int[] sampleShape, bool forCompile)
    {
        _width.Build(this, sampleShape);
        if (forCompile && Average is null) OutputWidth.RefusePerClassInCompile(this, "average", "\"macro\", \"micro\", \"weighted\"");
    }

    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
    {
        if (sparseLabels)
            throw new ArgumentException($"{GetType().Name} \"{Name}\" expects targets shaped like the predictions (one-hot or multi-label rows), but the loss takes class indices.");
        RequireRowWeights(output, weights);
        var kind = Threshold is null ? ClassStatKind.FBetaTopScore : ClassStatKind.FBetaThreshold;
        g.Effect(new CountClassStatsOp(kind, index, (float)(Threshold ?? 0)), weights == null ? [output, labels] : [output, labels, weights]);
    }

    internal override double Result(ReadOnlySpan<float> slots, int samples)
    {
        if (Average is null)
            throw new InvalidOperationException($"{GetType().Name} \"{Name}\": average=None gives one value per class: read ResultPerClass().");
        int classes = slots.Length / 4;
        if (classes == 0) return 0.0;
        if (Average == "micro")
        {
            double tp = 0, fp = 0, fn = 0;
            for (int c = 0; c < classes; c++) { tp += slots[4 * c]; fp += slots[4 * c + 1]; fn += slots[4 * c + 2]; }
            return Score(tp, fp, fn);
        }
        double[] perClass = PerClass(slots);
        if (Average == "macro") return perClass.Average();
        double support = 0, sum = 0;
        for (int c = 0; c < classes; c++) support += slots[4 * c + 3];
        for (int c = 0; c < classes; c++) sum += perClass[c] * (slots[4 * c + 3] / (support + Epsilon));
        return sum;
    }

    /// <summary>The F-beta score of each class over every batch since the last <see cref="Metric.ResetState"/> (Keras's result() with average=None); empty before any.</summary>
    public double[] ResultPerClass()
    {
        var (state, _) = StandaloneState;
        return state is null ? [] : PerClass(state.AsSpan(0, Slots));
    }

    private const double Epsilon = 1e-7;    // Keras's backend.epsilon()

    private double[] PerClass(ReadOnlySpan<float> slots)
    {
        var scores = new double[slots.Length / 4];
        for (int c = 0; c < scores.Length; c++) scores[c] = Score(slots[4 * c], slots[4 * c + 1], slots[4 * c + 2]);
        return scores;
    }

    private double Score(double tp, double fp, double fn)
    {
        double precision = tp / (tp + fp + Epsilon), recall = tp / (tp + fn + Epsilon), b2 = Beta * Beta;
        return precision * recall / (b2 * precision + recall + Epsilon) * (1 + b2);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name, ["dtype"] = Dtype, ["average"] = Average, ["beta"] = Beta, ["threshold"] = Threshold,
    };
}
