using SequentialNet.Metrics;
using static SequentialNet.Tests.Metrics.WeightedMetricKerasCaseTests;

namespace SequentialNet.Tests.Metrics;

/// <summary>
/// FBetaScore and F1Score: the cases of Keras 3's keras/src/metrics/f_score_metrics_test.py (the numbers it
/// asserts, at its atol 1e-6), and through Compile/Evaluate against Keras's formula written here in float64.
/// </summary>
public class FBetaScoreTests
{
    private static Tensor Rows(int cols, params float[] v) => new(v, v.Length / cols, cols);

    // test_fbeta_random_score: threshold 0.66.
    private static readonly float[] RandomPred = [0.7f, 0.7f, 0.7f, 1, 0, 0, 0.9f, 0.8f, 0];
    private static readonly float[] RandomTrue = [0, 0, 1, 1, 1, 0, 1, 1, 1];
    // test_fbeta_random_score_none / weighted: no threshold (each row's top score).
    private static readonly float[] SixTrue = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1];
    private static readonly float[] SixPred = [0.9f, 0.1f, 0, 0.2f, 0.6f, 0.2f, 0, 0, 1, 0.4f, 0.3f, 0.3f, 0, 0.9f, 0.1f, 0, 0, 1];

    private static FBetaScore Run(string? average, double beta, double? threshold, float[] yTrue, float[] yPred, float[]? w = null)
    {
        var m = new FBetaScore(average, beta, threshold);
        m.UpdateState(Rows(3, yTrue), Rows(3, yPred), w == null ? null : new Tensor(w, w.Length));
        return m;
    }

    [TestCase(0.5, new[] { 0.71428573, 0.5, 0.833334 })]
    [TestCase(1.0, new[] { 0.8, 0.5, 0.6666667 })]
    [TestCase(2.0, new[] { 0.9090904, 0.5, 0.555556 })]
    public void RandomScorePerClassMatchesKeras(double beta, double[] expected)
        => Assert.That(Run(null, beta, 0.66, RandomTrue, RandomPred).ResultPerClass(), Is.EqualTo(expected).Within(1e-6));

    [TestCase("micro", 0.5, 0.6666667)]
    [TestCase("micro", 1.0, 0.6666667)]
    [TestCase("micro", 2.0, 0.6666667)]
    [TestCase("macro", 0.5, 0.6825397)]
    [TestCase("macro", 1.0, 0.6555555)]
    [TestCase("macro", 2.0, 0.6548822)]
    [TestCase("weighted", 0.5, 0.6825397)]
    [TestCase("weighted", 1.0, 0.6555555)]
    [TestCase("weighted", 2.0, 0.6548822)]
    public void RandomScoreAveragedMatchesKeras(string average, double beta, double expected)
        => Assert.That(Run(average, beta, 0.66, RandomTrue, RandomPred).Result(), Is.EqualTo(expected).Within(1e-6));

    [TestCase(null, 0.5, new[] { 0.9090904, 0.555556, 1.0 })]
    [TestCase(null, 1.0, new[] { 0.8, 0.6666667, 1.0 })]
    [TestCase(null, 2.0, new[] { 0.71428573, 0.833334, 1.0 })]
    [TestCase("micro", 0.5, new[] { 0.833334 })]
    [TestCase("macro", 0.5, new[] { 0.821549 })]
    [TestCase("macro", 1.0, new[] { 0.822222 })]
    [TestCase("macro", 2.0, new[] { 0.849206 })]
    [TestCase("weighted", 0.5, new[] { 0.880471 })]
    [TestCase("weighted", 1.0, new[] { 0.844445 })]
    [TestCase("weighted", 2.0, new[] { 0.829365 })]
    public void TopScoreWithoutThresholdMatchesKeras(string? average, double beta, double[] expected)
    {
        var m = Run(average, beta, null, SixTrue, SixPred);
        Assert.That(average == null ? m.ResultPerClass() : [m.Result()], Is.EqualTo(expected).Within(1e-6));
    }

    private static IEnumerable<TestCaseData> WeightedCases()
    {
        float[] ones = [1, 1, 1, 1, 1, 1], masked = [1, 0, 1, 1, 0, 1], halves = [0.5f, 1, 1, 1, 0.5f, 1];
        yield return new TestCaseData(null, 0.5, halves, new[] { 0.9375, 0.714286, 1.0 });
        yield return new TestCaseData(null, 1.0, masked, new[] { 1.0, 0.0, 1.0 });
        yield return new TestCaseData(null, 1.0, halves, new[] { 0.857143, 0.8, 1.0 });
        yield return new TestCaseData(null, 2.0, halves, new[] { 0.789474, 0.909091, 1.0 });
        yield return new TestCaseData("micro", 0.5, ones, new[] { 0.833333 });
        yield return new TestCaseData("micro", 1.0, masked, new[] { 1.0 });
        yield return new TestCaseData("micro", 2.0, halves, new[] { 0.9 });
        yield return new TestCaseData("macro", 0.5, masked, new[] { 0.666667 });
        yield return new TestCaseData("macro", 0.5, halves, new[] { 0.883929 });
        yield return new TestCaseData("macro", 1.0, halves, new[] { 0.885714 });
        yield return new TestCaseData("macro", 2.0, halves, new[] { 0.899522 });
        yield return new TestCaseData("weighted", 0.5, halves, new[] { 0.917857 });
        yield return new TestCaseData("weighted", 1.0, halves, new[] { 0.902857 });
        yield return new TestCaseData("weighted", 2.0, masked, new[] { 1.0 });
        yield return new TestCaseData("weighted", 2.0, halves, new[] { 0.897608 });
    }

    [TestCaseSource(nameof(WeightedCases))]
    public void SampleWeightsMatchKeras(string? average, double beta, float[] w, double[] expected)
    {
        var m = Run(average, beta, null, SixTrue, SixPred, w);
        Assert.That(average == null ? m.ResultPerClass() : [m.Result()], Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void PerfectAndWorstScoresAndF1MatchKeras()
    {
        float[] pred = [0.7f, 0.7f, 0.7f, 1, 0, 0, 0.9f, 0.8f, 0];
        foreach (string average in new[] { "micro", "macro", "weighted" })
            foreach (double beta in new[] { 0.5, 1.0, 2.0 })
            {
                Assert.That(Run(average, beta, 0.66, [1, 1, 1, 1, 0, 0, 1, 1, 0], pred).Result(), Is.EqualTo(1.0).Within(1e-6), $"perfect {average} {beta}");
                Assert.That(Run(average, beta, 0.66, [0, 0, 0, 0, 1, 0, 0, 0, 1], pred).Result(), Is.EqualTo(0.0).Within(1e-6), $"worst {average} {beta}");
            }
        // F1Score's docstring example (threshold 0.5) and test_correctness: F1Score = FBetaScore(beta=1).
        var f1 = new F1Score(threshold: 0.5);
        f1.UpdateState(Rows(3, 1, 1, 1, 1, 0, 0, 1, 1, 0), Rows(3, 0.2f, 0.6f, 0.7f, 0.2f, 0.6f, 0.6f, 0.6f, 0.8f, 0f));
        Assert.That(f1.ResultPerClass(), Is.EqualTo(new[] { 0.5, 0.8, 0.6666667 }).Within(1e-6));
        var a = new F1Score();
        a.UpdateState(Rows(3, SixTrue), Rows(3, SixPred));
        Assert.That(a.ResultPerClass(), Is.EqualTo(Run(null, 1.0, null, SixTrue, SixPred).ResultPerClass()));
        a.ResetState();
        Assert.That(a.ResultPerClass(), Is.Empty);
    }

    [Test]
    public void ArgumentsAndShapesAreCheckedAsKeras()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new FBetaScore("invalid_average"))!.Message,
            Does.Contain("Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. Received: average=invalid_average"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new FBetaScore("macro", 0.0))!.Message, Does.Contain("It should be > 0. Received: beta=0"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new FBetaScore("macro", -0.5))!.Message, Does.Contain("Received: beta=-0.5"));
        foreach (double t in new[] { 1.1, 0.0, -0.5 })
            Assert.That(Assert.Throws<ArgumentException>(() => _ = new F1Score("macro", t))!.Message, Does.Contain("It should verify 0 < threshold <= 1. Received: threshold="));
        Assert.Throws<NotSupportedException>(() => _ = new F1Score(dtype: "float16"));
        // test_non_2d_input_shapes_raises_value_error
        var e = Assert.Throws<ArgumentException>(() => new FBetaScore().UpdateState(new Tensor(new float[24], 2, 3, 4), new Tensor(new float[24], 2, 3, 4)));
        Assert.That(e!.Message, Does.Contain("FBetaScore \"fbeta_score\" expects 2D inputs with shape (batch_size, output_dim). Received: predictions of shape (None, 3, 4)"));
        // The state is sized for the first width; another width is refused, naming both.
        var m = new F1Score("macro");
        m.UpdateState(Rows(3, SixTrue), Rows(3, SixPred));
        e = Assert.Throws<ArgumentException>(() => m.UpdateState(new Tensor(new float[8], 2, 4), new Tensor(new float[8], 2, 4)));
        Assert.That(e!.Message, Does.Contain("F1Score \"f1_score\": expected outputs of width 3").And.Contain("Received: width 4"));
        var perClass = new F1Score();
        perClass.UpdateState(Rows(3, SixTrue), Rows(3, SixPred));
        Assert.That(Assert.Throws<InvalidOperationException>(() => perClass.Result())!.Message, Does.Contain("average=None gives one value per class: read ResultPerClass()"));
    }

    /// <summary>Keras's formula in float64 over (rows, cols) predictions: counts per class, then the average.</summary>
    internal static double Expected(float[] pred, float[] truth, float[]? w, int cols, string average, double beta, double? threshold)
    {
        const double eps = 1e-7;
        int rows = pred.Length / cols;
        var tp = new double[cols]; var fp = new double[cols]; var fn = new double[cols]; var support = new double[cols];
        for (int r = 0; r < rows; r++)
        {
            double top = Enumerable.Range(0, cols).Max(j => (double)pred[r * cols + j]), wr = w?[r] ?? 1;
            for (int c = 0; c < cols; c++)
            {
                double p = pred[r * cols + c], t = truth[r * cols + c];
                double y = (threshold is double th ? p > th : p >= top && Math.Abs(p) > 1e-9) ? 1 : 0;
                tp[c] += wr * y * t; fp[c] += wr * y * (1 - t); fn[c] += wr * (1 - y) * t; support[c] += wr * t;
            }
        }
        double F(double a, double b, double n)
        {
            double precision = a / (a + b + eps), recall = a / (a + n + eps);
            return (1 + beta * beta) * precision * recall / (beta * beta * precision + recall + eps);
        }
        if (average == "micro") return F(tp.Sum(), fp.Sum(), fn.Sum());
        double[] f = [.. Enumerable.Range(0, cols).Select(c => F(tp[c], fp[c], fn[c]))];
        return average == "macro" ? f.Average() : Enumerable.Range(0, cols).Sum(c => f[c] * support[c] / (support.Sum() + eps));
    }

    [Test]
    public void EvaluateAccumulatesOverBatchesAsTheFormula()
    {
        const int rows = 61, cols = 4;
        var random = new Random(12);
        float[] pred = [.. Enumerable.Range(0, rows * cols).Select(_ => random.Next(6) / 5f)];   // coarse: ties at the top occur
        float[] truth = [.. Enumerable.Range(0, rows * cols).Select(_ => random.Next(3) == 0 ? 1f : 0f)];
        float[] w = [.. Enumerable.Range(0, rows).Select(i => i % 5 == 0 ? 0f : (float)(0.5 + random.NextDouble()))];
        var logs = Evaluate(pred, cols, new Tensor(truth, rows, cols), "binary_crossentropy", w,
            metrics: [new F1Score("macro"), new FBetaScore("micro", 2.0, 0.5, name: "f2_micro")],
            weightedMetrics: [new F1Score("weighted", threshold: 0.3), new FBetaScore("macro", 0.5, name: "f05")], batchSize: 8);
        Assert.That(logs["f1_score"], Is.EqualTo(Expected(pred, truth, null, cols, "macro", 1.0, null)).Within(1e-6));
        Assert.That(logs["f2_micro"], Is.EqualTo(Expected(pred, truth, null, cols, "micro", 2.0, 0.5)).Within(1e-6));
        Assert.That(logs["weighted_f1_score"], Is.EqualTo(Expected(pred, truth, w, cols, "weighted", 1.0, 0.3)).Within(1e-6));
        Assert.That(logs["f05"], Is.EqualTo(Expected(pred, truth, w, cols, "macro", 0.5, null)).Within(1e-6));
        Assert.That(logs["f1_score"], Is.Not.EqualTo(logs["f05"]), "the cases differ");
    }

    [Test]
    public void CompileRefusesPerClassResultsAndSparseTargets()
    {
        var e = Assert.Throws<ArgumentException>(() => Evaluate(new float[6], 3, new Tensor(new float[6], 2, 3), "categorical_crossentropy", null, metrics: ["f1_score"]));
        Assert.That(e!.Message, Does.Contain("F1Score \"f1_score\": average=None gives one value per class").And.Contain("ResultPerClass"));
        e = Assert.Throws<ArgumentException>(() => Evaluate(new float[6], 3, Tensor.FromLabels([0, 1]), "sparse_categorical_crossentropy", null, metrics: [new F1Score("macro")]));
        Assert.That(e!.Message, Does.Contain("expects targets shaped like the predictions"));
    }

    [Test]
    public void NamesResolveAsKeras()
    {
        foreach (string name in new[] { "f1_score", "F1Score", "F1_SCORE" }) Assert.That(Metric.Get(name), Is.TypeOf<F1Score>(), name);
        foreach (string name in new[] { "fbeta_score", "FBetaScore" }) Assert.That(Metric.Get(name), Is.TypeOf<FBetaScore>(), name);
        Assert.That(Metric.Get("f1_score").Name, Is.EqualTo("f1_score"));
        Assert.That(new F1Score().GetConfig().ContainsKey("beta"), Is.False, "F1Score's config has no beta (Keras)");
    }
}
