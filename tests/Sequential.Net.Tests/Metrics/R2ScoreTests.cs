using SequentialNet.Layers;
using SequentialNet.Metrics;
using static SequentialNet.Tests.Metrics.WeightedMetricKerasCaseTests;

namespace SequentialNet.Tests.Metrics;

/// <summary>
/// R2Score: the cases of Keras 3's keras/src/metrics/regression_metrics_test.py (the numbers it asserts), and
/// through Compile/Evaluate against Keras's formula written here in float64.
/// </summary>
public class R2ScoreTests
{
    private static Tensor Rows(params float[] v) => new(v, v.Length / 3, 3);
    private static readonly float[] SkTrue = [0, 0, 1, 0, 1, 0, 1, 0, 0];

    [TestCase(null, new[] { 0.37, -1.295, 0.565 })]
    [TestCase("uniform_average", new[] { -0.12 })]
    [TestCase("variance_weighted_average", new[] { -0.12 })]
    public void SklearnComparisonMatchesKeras(string? aggregation, double[] expected)
    {
        var m = new R2Score(aggregation);
        m.UpdateState(Rows(SkTrue), Rows(0.4f, 0.5f, 0.6f, 0.1f, 0.2f, 0.3f, 0.5f, 0.8f, 0.2f));
        Assert.That(aggregation == null ? m.ResultPerClass() : [m.Result()], Is.EqualTo(expected).Within(1e-6));
    }

    [TestCase(null, 0, new[] { 0.17305559, -8.836666, -0.521 })]
    [TestCase(null, 1, new[] { 0.054920673, -10.241904, -0.7382858 })]
    [TestCase(null, 2, new[] { -0.10259259, -12.115555, -1.0280001 })]
    [TestCase("uniform_average", 0, new[] { -3.0615367889404297 })]
    [TestCase("uniform_average", 1, new[] { -3.641756534576416 })]
    [TestCase("uniform_average", 2, new[] { -4.415382385253906 })]
    [TestCase("variance_weighted_average", 0, new[] { -1.3710224628448486 })]
    [TestCase("variance_weighted_average", 1, new[] { -1.7097399234771729 })]
    [TestCase("variance_weighted_average", 2, new[] { -2.161363363265991 })]
    public void WeightedAndAdjustedMatchKeras(string? aggregation, int regressors, double[] expected)
    {
        // test_r2_tfa_comparison: sample weights [0.8, 0.1, 0.4]; n counts the 9 target elements, as Keras's size(y_true).
        var m = new R2Score(aggregation, regressors);
        m.UpdateState(Rows(SkTrue), Rows(0.4f, 0.9f, 1.6f, 0.1f, 1.2f, 0.6f, 1.5f, 0.8f, 0.6f), new Tensor([0.8f, 0.1f, 0.4f], 3));
        // Keras asserts at atol 1e-6 on float32 state; the large per-column value (−12.1) keeps float32's relative error.
        Assert.That(aggregation == null ? m.ResultPerClass() : [m.Result()], Is.EqualTo(expected).Within(2e-6));
    }

    [Test]
    public void ArgumentsAndShapesAreCheckedAsKeras()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new R2Score("wrong"))!.Message, Does.Contain("Invalid value for argument `class_aggregation`"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new R2Score(numRegressors: -1))!.Message, Does.Contain("Invalid value for argument `num_regressors`"));
        var e = Assert.Throws<ArgumentException>(() => new R2Score().UpdateState(new Tensor([0f, 1], 2), new Tensor([0f, 1], 2)));
        Assert.That(e!.Message, Does.Contain("expects 2D inputs with shape"));
        // More regressors than data points: Keras falls back to the plain score.
        var plain = new R2Score();
        var adjusted = new R2Score(numRegressors: 20);
        foreach (var m in new[] { plain, adjusted }) m.UpdateState(Rows(SkTrue), Rows(0.4f, 0.5f, 0.6f, 0.1f, 0.2f, 0.3f, 0.5f, 0.8f, 0.2f));
        Assert.That(adjusted.Result(), Is.EqualTo(plain.Result()));
        foreach (string name in new[] { "r2_score", "R2Score" }) Assert.That(Metric.Get(name), Is.TypeOf<R2Score>(), name);
    }

    private static double Expected(float[] pred, float[] truth, float[]? w, int cols, string aggregation, int regressors)
    {
        int rows = pred.Length / cols;
        var raw = new double[cols]; var total = new double[cols];
        for (int c = 0; c < cols; c++)
        {
            double s = 0, q = 0, e = 0, n = 0;
            for (int r = 0; r < rows; r++)
            {
                double t = truth[r * cols + c], p = pred[r * cols + c], wr = w?[r] ?? 1;
                s += wr * t; q += wr * t * t; e += wr * (t - p) * (t - p); n += wr;
            }
            total[c] = q - s * s / n;
            raw[c] = 1 - e / total[c];
        }
        double score = aggregation == "uniform_average" ? raw.Average() : Enumerable.Range(0, cols).Sum(c => total[c] * raw[c]) / total.Sum();
        double elements = rows * cols;
        return regressors == 0 ? score : 1 - (1 - score) * (elements - 1) / (elements - regressors - 1);
    }

    [Test]
    public void EvaluateAndFitReportTheFormula()
    {
        const int rows = 57, cols = 3;
        var random = new Random(21);
        float[] pred = [.. Enumerable.Range(0, rows * cols).Select(_ => (float)(2 * random.NextDouble() - 0.5))];
        float[] truth = [.. Enumerable.Range(0, rows * cols).Select((_, i) => pred[i] + (float)(random.NextDouble() - 0.5))];
        float[] w = [.. Enumerable.Range(0, rows).Select(i => i % 6 == 0 ? 0f : (float)(0.3 + random.NextDouble()))];
        var logs = Evaluate(pred, cols, new Tensor(truth, rows, cols), "mse", w,
            metrics: [new R2Score(), new R2Score("variance_weighted_average", 4, name: "r2_vw")],
            weightedMetrics: [new R2Score(numRegressors: 2)], batchSize: 7);
        Assert.That(logs["r2_score"], Is.EqualTo(Expected(pred, truth, null, cols, "uniform_average", 0)).Within(1e-5));
        Assert.That(logs["r2_vw"], Is.EqualTo(Expected(pred, truth, null, cols, "variance_weighted_average", 4)).Within(1e-5));
        Assert.That(logs["weighted_r2_score"], Is.EqualTo(Expected(pred, truth, w, cols, "uniform_average", 2)).Within(1e-5));
        Assert.That(logs["r2_score"], Is.Not.EqualTo(logs["weighted_r2_score"]).Within(1e-4), "weights change the score");

        // In Fit: the History holds one number per epoch; a model learning y = 2x reaches R² near 1.
        using var model = new Sequential(new Dense(1, inputShape: [1]));
        model.Compile(optimizer: new SequentialNet.Optimizers.SGD(0.1), loss: "mse", metrics: ["mae", new R2Score()]);
        float[] x = [.. Enumerable.Range(0, 64).Select(i => i / 32f - 1)];
        var history = model.Fit(new Tensor(x, 64, 1), new Tensor([.. x.Select(v => 2 * v)], 64, 1), epochs: 30, batchSize: 16, verbose: 0);
        Assert.That(history["r2_score"], Has.Count.EqualTo(30));
        Assert.That(history["r2_score"][^1], Is.GreaterThan(0.99));
    }

    [Test]
    public void CompileRefusesPerColumnResultsAndOtherWidths()
    {
        var e = Assert.Throws<ArgumentException>(() => Evaluate(new float[6], 3, new Tensor(new float[6], 2, 3), "mse", null, metrics: [new R2Score(null)]));
        Assert.That(e!.Message, Does.Contain("classAggregation=None gives one value per class"));
        var shared = new R2Score();
        Evaluate(new float[] { 0, 1, 2, 3, 4, 5 }, 3, new Tensor([0f, 1, 2, 3, 4, 6], 2, 3), "mse", null, metrics: [shared]);
        e = Assert.Throws<ArgumentException>(() => Evaluate(new float[4], 2, new Tensor(new float[4], 2, 2), "mse", null, metrics: [shared]));
        Assert.That(e!.Message, Does.Contain("expected outputs of width 3").And.Contain("Received: width 2"));
    }
}
