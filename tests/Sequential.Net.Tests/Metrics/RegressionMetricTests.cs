using SequentialNet.Backends;
using SequentialNet.Metrics;
using static SequentialNet.Tests.Metrics.WeightedMetricKerasCaseTests;
using MseMetric = SequentialNet.Metrics.MeanSquaredError;

namespace SequentialNet.Tests.Metrics;

/// <summary>
/// The regression metrics (mse, rmse, mape, msle, cosine_similarity, logcosh) on the cases of Keras 3's
/// regression_metrics_test.py, and through Evaluate (plain and weighted, several batches) against the float64
/// formulas written here.
/// </summary>
public class RegressionMetricTests
{
    private static readonly float[] BinaryTrue = [0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1];
    private static readonly float[] BinaryPred = [0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1];
    private static readonly Tensor RowWeights = new([1f, 1.5f, 2f, 2.5f], 4);

    private static double Keras(Metric m, float[] yTrue, float[] yPred, int cols, Tensor? w = null)
    {
        m.UpdateState(new Tensor(yTrue, yTrue.Length / cols, cols), new Tensor(yPred, yPred.Length / cols, cols), w);
        return m.Result();
    }

    [Test]
    public void KerasTestValues()
    {
        Assert.That(Keras(new MseMetric(), BinaryTrue, BinaryPred, 5), Is.EqualTo(0.5).Within(1e-5));
        Assert.That(Keras(new MseMetric(), BinaryTrue, BinaryPred, 5, RowWeights), Is.EqualTo(0.54285).Within(1e-5));
        Assert.That(Keras(new MeanAbsolutePercentageError(), BinaryTrue, BinaryPred, 5), Is.EqualTo(35e7).Within(35e7 * 1e-6));        // float32 of 1e9 terms
        Assert.That(Keras(new MeanAbsolutePercentageError(), BinaryTrue, BinaryPred, 5, RowWeights), Is.EqualTo(40e7).Within(40e7 * 1e-6));
        Assert.That(Keras(new MeanSquaredLogarithmicError(), BinaryTrue, BinaryPred, 5), Is.EqualTo(0.24022).Within(1e-5));
        Assert.That(Keras(new MeanSquaredLogarithmicError(), BinaryTrue, BinaryPred, 5, RowWeights), Is.EqualTo(0.26082).Within(1e-5));
        var rmse = new RootMeanSquaredError();
        rmse.UpdateState(new Tensor([2f, 4, 6], 3), new Tensor([1f, 3, 2], 3));
        Assert.That(rmse.Result(), Is.EqualTo(Math.Sqrt(6)).Within(1e-6));
        rmse.ResetState();
        rmse.UpdateState(new Tensor([2f, 4, 6, 8], 4), new Tensor([1f, 3, 2, 3], 4), new Tensor([0f, 1, 0, 1], 4));
        Assert.That(rmse.Result(), Is.EqualTo(Math.Sqrt(13)).Within(1e-6));
    }

    [Test]
    public void CosineAndLogCoshMatchKerasTests()
    {
        float[] yTrue = [1, 9, 2, -5, -2, 6], yPred = [4, 8, 12, 8, 1, 3];
        double Cos(int r)
        {
            double dot = 0, tt = 0, pp = 0;
            for (int j = 0; j < 3; j++) { dot += yTrue[r * 3 + j] * yPred[r * 3 + j]; tt += yTrue[r * 3 + j] * yTrue[r * 3 + j]; pp += yPred[r * 3 + j] * yPred[r * 3 + j]; }
            return dot / Math.Sqrt(tt) / Math.Sqrt(pp);
        }
        double LogCosh(int r) => Enumerable.Range(0, 3).Average(j => Math.Log(Math.Cosh(yPred[r * 3 + j] - yTrue[r * 3 + j])));
        var w = new Tensor([1.2f, 3.4f], 2);
        Assert.That(Keras(new CosineSimilarity(), yTrue, yPred, 3), Is.EqualTo((Cos(0) + Cos(1)) / 2).Within(1e-6));
        Assert.That(Keras(new CosineSimilarity(), yTrue, yPred, 3, w), Is.EqualTo((1.2 * Cos(0) + 3.4 * Cos(1)) / 4.6).Within(1e-6));
        Assert.That(Keras(new LogCoshError(), yTrue, yPred, 3), Is.EqualTo((LogCosh(0) + LogCosh(1)) / 2).Within(1e-5));
        Assert.That(Keras(new LogCoshError(), yTrue, yPred, 3, w), Is.EqualTo((1.2 * LogCosh(0) + 3.4 * LogCosh(1)) / 4.6).Within(1e-5));
    }

    private static IEnumerable<TestCaseData> Kinds()
    {
        yield return new TestCaseData(new MseMetric(), RowMetricKind.MeanSquaredError, false);
        yield return new TestCaseData(new RootMeanSquaredError(), RowMetricKind.MeanSquaredError, true);
        yield return new TestCaseData(new MeanAbsolutePercentageError(), RowMetricKind.MeanAbsolutePercentageError, false);
        yield return new TestCaseData(new MeanSquaredLogarithmicError(), RowMetricKind.MeanSquaredLogarithmicError, false);
        yield return new TestCaseData(new CosineSimilarity(), RowMetricKind.CosineSimilarity, false);
        yield return new TestCaseData(new LogCoshError(), RowMetricKind.LogCosh, false);
    }

    /// <summary>The float64 formula of each kind (Keras's functions, ε = 1e-7).</summary>
    private static double Formula(RowMetricKind kind, float[] p, float[] t, int r, int cols)
    {
        const double eps = 1e-7;
        double s = 0, tt = 0, pp = 0;
        for (int j = 0; j < cols; j++)
        {
            double pj = p[r * cols + j], tj = t[r * cols + j], d = pj - tj;
            s += kind switch
            {
                RowMetricKind.MeanSquaredError => d * d,
                RowMetricKind.MeanAbsolutePercentageError => 100 * Math.Abs(d) / Math.Max(Math.Abs(tj), eps),
                RowMetricKind.MeanSquaredLogarithmicError => Math.Pow(Math.Log(Math.Max(pj, eps) + 1) - Math.Log(Math.Max(tj, eps) + 1), 2),
                RowMetricKind.CosineSimilarity => tj * pj,
                _ => Math.Log(Math.Cosh(d)),
            };
            tt += tj * tj; pp += pj * pj;
        }
        return kind == RowMetricKind.CosineSimilarity ? s / Math.Sqrt(Math.Max(tt, eps)) / Math.Sqrt(Math.Max(pp, eps)) : s / cols;
    }

    [TestCaseSource(nameof(Kinds))]
    public void EvaluateMatchesTheFormulaPlainAndWeighted(Metric metric, RowMetricKind kind, bool root)
    {
        const int rows = 37, cols = 4;
        var random = new Random((int)kind + 40);
        float[] pred = [.. Enumerable.Range(0, rows * cols).Select(_ => (float)(3 * random.NextDouble() - 0.5))];
        float[] truth = [.. Enumerable.Range(0, rows * cols).Select(i => i % 9 == 0 ? 0f : (float)(3 * random.NextDouble() - 0.5))];
        float[] w = [.. Enumerable.Range(0, rows).Select(i => i % 5 == 0 ? 0f : (float)(2 * random.NextDouble()))];
        double plain = Enumerable.Range(0, rows).Average(r => Formula(kind, pred, truth, r, cols));
        double weighted = Enumerable.Range(0, rows).Sum(r => w[r] * Formula(kind, pred, truth, r, cols)) / w.Sum(x => (double)x);
        if (root) { plain = Math.Sqrt(plain); weighted = Math.Sqrt(weighted); }
        var y = new Tensor(truth, rows, cols);
        var logs = Evaluate(pred, cols, y, "mse", w, metrics: [metric], weightedMetrics: [Metric.Get(metric.Name)], batchSize: 6);
        // float32 row sums and accumulation over 37 rows (MAPE's terms reach 1e9 where t = 0).
        Assert.That(logs[metric.Name], Is.EqualTo(plain).Within(2e-6 * Math.Abs(plain) + 1e-6), "plain");
        Assert.That(logs["weighted_" + metric.Name], Is.EqualTo(weighted).Within(2e-6 * Math.Abs(weighted) + 1e-6), "weighted");
    }

    [Test]
    public void NamesResolveAndSparseTargetsAreAClearError()
    {
        Assert.That(Metric.Get("mse"), Is.InstanceOf<MseMetric>());
        Assert.That(Metric.Get("rmse"), Is.InstanceOf<RootMeanSquaredError>());
        Assert.That(Metric.Get("mape"), Is.InstanceOf<MeanAbsolutePercentageError>());
        Assert.That(Metric.Get("msle"), Is.InstanceOf<MeanSquaredLogarithmicError>());
        Assert.That(Metric.Get("cosine_similarity").Direction, Is.EqualTo("max"));
        Assert.That(Metric.Get("logcosh"), Is.InstanceOf<LogCoshError>());
        var e = Assert.Throws<ArgumentException>(() => Evaluate(new float[6], 3, Tensor.FromLabels([0, 1]), "sparse_categorical_crossentropy", null, metrics: ["mse"]));
        Assert.That(e!.Message, Does.Contain("MeanSquaredError expects targets shaped like the predictions"));
    }
}
