using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Metrics;

/// <summary>
/// Coefficient of determination, as Keras 3's R2Score. Per output column c it accumulates S = Σ w·t,
/// Q = Σ t·(w·t), E = Σ w·(t − p)² and W = Σ w (w the sample weight, 1 in <c>Compile(metrics:)</c>); then
/// total_c = Q − S·(S / W) and R²_c = 1 − E / total_c, an infinite R²_c taken as 0 (Keras). <c>classAggregation</c>:
/// "uniform_average" (the mean of R²_c, default), "variance_weighted_average" (Σ total_c·R²_c / Σ total_c) or null
/// (one value per column, read with <see cref="ResultPerClass"/>; refused by Compile, whose logs hold one number).
/// With <c>numRegressors</c> p &gt; 0 the adjusted score 1 − (1 − R²)·(n − 1) / (n − p − 1) is reported, n being
/// the number of target elements seen (Keras counts <c>size(y_true)</c>); when p ≥ n − 1 Keras warns and keeps
/// the plain R², as this does (without the warning). Expects predictions of shape (batch, outputs); uses 4
/// accumulators per output column, sized at Compile from the output width.
/// </summary>
public sealed class R2Score : Metric
{
    private readonly OutputWidth _width = new();
    private readonly string? _name;

    /// <param name="classAggregation">"uniform_average" (default), "variance_weighted_average" or null.</param>
    /// <param name="numRegressors">Number of independent regressors p ≥ 0 of the adjusted R² (0: plain R²).</param>
    /// <param name="name">Name in logs; default "r2_score".</param>
    /// <param name="dtype">"float32" (the only one) or null.</param>
    public R2Score(string? classAggregation = "uniform_average", int numRegressors = 0, string? name = null, string? dtype = null)
    {
        ClassAggregation = classAggregation is null or "uniform_average" or "variance_weighted_average" ? classAggregation
            : throw new ArgumentException($"Invalid value for argument `class_aggregation`. Expected one of {{None, 'uniform_average', 'variance_weighted_average'}}. Received: class_aggregation={classAggregation}", nameof(classAggregation));
        NumRegressors = numRegressors >= 0 ? numRegressors
            : throw new ArgumentException($"Invalid value for argument `num_regressors`. Expected a value >= 0. Received: num_regressors={numRegressors}", nameof(numRegressors));
        Dtype = MetricDtype.Check(dtype, nameof(R2Score));
        _name = name;
    }

    /// <summary>"uniform_average", "variance_weighted_average" or null.</summary>
    public string? ClassAggregation { get; }
    /// <summary>Number of regressors of the adjusted R² (0: plain).</summary>
    public int NumRegressors { get; }
    /// <summary>"float32".</summary>
    public string Dtype { get; }

    /// <inheritdoc/>
    public override string Name => _name ?? "r2_score";
    internal override int Slots => 4 * _width.Value;
    internal override bool IsMean => false;

    internal override void BuildFor(int[] sampleShape, bool forCompile)
    {
        _width.Build(this, sampleShape);
        if (forCompile && ClassAggregation is null) OutputWidth.RefusePerClassInCompile(this, "classAggregation", "\"uniform_average\", \"variance_weighted_average\"");
    }

    internal override void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index)
    {
        if (sparseLabels)
            throw new ArgumentException($"R2Score \"{Name}\" expects targets shaped like the predictions, but the loss takes class indices.");
        RequireRowWeights(output, weights);
        g.Effect(new CountClassStatsOp(ClassStatKind.R2, index, 0f), weights == null ? [output, labels] : [output, labels, weights]);
    }

    internal override double Result(ReadOnlySpan<float> slots, int samples)
    {
        if (ClassAggregation is null)
            throw new InvalidOperationException($"R2Score \"{Name}\": class_aggregation=None gives one value per output column: read ResultPerClass().");
        int columns = slots.Length / 4;
        if (columns == 0) return 0.0;
        double[] raw = Raw(slots, out double[] total);
        double score;
        if (ClassAggregation == "uniform_average") score = raw.Average();
        else
        {
            double weighted = 0, sum = 0;
            for (int c = 0; c < columns; c++) { weighted += total[c] * raw[c]; sum += total[c]; }
            score = weighted / sum;
        }
        return Adjusted(score, (long)samples * columns);
    }

    /// <summary>R² of each output column over every batch since the last <see cref="Metric.ResetState"/> (Keras's result() with class_aggregation=None, adjusted when numRegressors &gt; 0); empty before any.</summary>
    public double[] ResultPerClass()
    {
        var (state, samples) = StandaloneState;
        if (state is null) return [];
        double[] raw = Raw(state.AsSpan(0, Slots), out _);
        return [.. raw.Select(r => Adjusted(r, (long)samples * raw.Length))];
    }

    private static double[] Raw(ReadOnlySpan<float> slots, out double[] total)
    {
        int columns = slots.Length / 4;
        var raw = new double[columns];
        total = new double[columns];
        for (int c = 0; c < columns; c++)
        {
            double sum = slots[4 * c], squares = slots[4 * c + 1], error = slots[4 * c + 2], count = slots[4 * c + 3];
            total[c] = squares - sum * (sum / count);
            double r = 1 - error / total[c];
            raw[c] = double.IsInfinity(r) ? 0 : r;
        }
        return raw;
    }

    /// <summary>Keras's adjusted R² with n = <paramref name="elements"/>; the plain score when p ≥ n − 1.</summary>
    private double Adjusted(double score, long elements)
    {
        if (NumRegressors == 0 || NumRegressors >= elements - 1) return score;
        return 1 - (1 - score) * (elements - 1.0) / (elements - NumRegressors - 1.0);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name, ["dtype"] = Dtype, ["class_aggregation"] = ClassAggregation, ["num_regressors"] = NumRegressors,
    };
}
