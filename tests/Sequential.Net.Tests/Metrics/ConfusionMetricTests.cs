using SequentialNet.Metrics;
using static SequentialNet.Tests.Metrics.MetricTestUtil;

namespace SequentialNet.Tests.Metrics;

/// <summary>Precision, Recall and AUC through Evaluate, several batches, against float64 references.</summary>
public class ConfusionMetricTests
{
    private const int Rows = 61, Cols = 3;

    private static (double Tp, double Fp, double Tn, double Fn) Counts(float[] pred, float[] target, double threshold)
    {
        double tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < pred.Length; i++)
        {
            bool p = pred[i] > threshold, t = target[i] != 0;
            if (p && t) tp++; else if (p) fp++; else if (t) fn++; else tn++;
        }
        return (tp, fp, tn, fn);
    }

    private static double NoNan(double a, double b) => b == 0 ? 0 : a / b;

    /// <summary>Keras's ROC AUC: thresholds [−ε, i/(n−1), 1+ε] in float32, trapezoids over (FPR, TPR).</summary>
    private static double ReferenceAuc(float[] pred, float[] target, int n)
    {
        double area = 0;
        double prevX = 0, prevY = 0;
        for (int i = 0; i < n; i++)
        {
            float threshold = i == 0 ? -1e-7f : i == n - 1 ? 1f + 1e-7f : (float)((double)i / (n - 1));
            var (tp, fp, tn, fn) = Counts(pred, target, threshold);
            double x = NoNan(fp, fp + tn), y = NoNan(tp, tp + fn);
            if (i > 0) area += (prevX - x) * (prevY + y) / 2;
            (prevX, prevY) = (x, y);
        }
        return area;
    }

    private static Dictionary<string, double> Run(float[] pred, float[] target, Metric metric, int batchSize = 8)
        => EvaluateOn(pred, Cols, new Tensor(target, pred.Length / Cols, Cols), "mse", metric, batchSize);

    [TestCase(0.5f)]
    [TestCase(0.3f)]
    public void PrecisionAndRecallMatchTheReference(float threshold)
    {
        float[] pred = Uniform(Rows * Cols, 1), target = Bits(Rows * Cols, 2);
        var (tp, fp, _, fn) = Counts(pred, target, threshold);
        Assert.That(Run(pred, target, new Precision(threshold))["precision"], Is.EqualTo(tp / (tp + fp)).Within(1e-9));
        Assert.That(Run(pred, target, new Recall(threshold))["recall"], Is.EqualTo(tp / (tp + fn)).Within(1e-9));
    }

    [Test]
    public void NoPredictedPositivesGivesZeroPrecision()
    {
        float[] pred = new float[Rows * Cols], target = Bits(Rows * Cols, 3);
        Assert.That(Run(pred, target, "precision")["precision"], Is.Zero);
        Assert.That(Run(pred, new float[Rows * Cols], "recall")["recall"], Is.Zero);
    }

    [TestCase(200)]
    [TestCase(7)]
    public void AucMatchesTheReference(int thresholds)
    {
        float[] pred = Uniform(Rows * Cols, 4), target = new float[Rows * Cols];
        var random = new Random(5);
        for (int i = 0; i < target.Length; i++) target[i] = random.NextDouble() < pred[i] ? 1f : 0f;   // informative scores
        double auc = Run(pred, target, new AUC(thresholds))["auc"];
        Assert.That(auc, Is.EqualTo(ReferenceAuc(pred, target, thresholds)).Within(1e-9));
        Assert.That(auc, Is.GreaterThan(0.6).And.LessThan(1.0));
    }

    [Test]
    public void AucSanityCases()
    {
        float[] target = Bits(Rows * Cols, 6);
        float[] separable = target.Select(t => t != 0 ? 0.8f : 0.2f).ToArray();
        float[] reversed = target.Select(t => t != 0 ? 0.2f : 0.8f).ToArray();
        float[] constant = target.Select(_ => 0.5f).ToArray();
        Assert.That(Run(separable, target, "auc")["auc"], Is.EqualTo(1.0).Within(1e-12));
        Assert.That(Run(reversed, target, "auc")["auc"], Is.EqualTo(0.0).Within(1e-12));
        Assert.That(Run(constant, target, "auc")["auc"], Is.EqualTo(0.5).Within(1e-12));
    }

    [Test]
    public void SeveralMetricsTogetherKeepTheirOwnSlots()
    {
        float[] pred = Uniform(Rows * Cols, 7), target = Bits(Rows * Cols, 8);
        using var model = new Sequential(new Layers.Activation("linear", inputShape: [Cols]));
        model.Compile(loss: "mse", metrics: ["precision", new AUC(), "recall", "binary_accuracy"]);
        var logs = model.Evaluate(new Tensor(pred, Rows, Cols), new Tensor(target, Rows, Cols), batchSize: 9, verbose: 0);
        var (tp, fp, _, fn) = Counts(pred, target, 0.5);
        Assert.That(logs["precision"], Is.EqualTo(tp / (tp + fp)).Within(1e-9));
        Assert.That(logs["recall"], Is.EqualTo(tp / (tp + fn)).Within(1e-9));
        Assert.That(logs["auc"], Is.EqualTo(ReferenceAuc(pred, target, 200)).Within(1e-9));
        double mse = pred.Zip(target, (p, t) => (double)(p - t) * (p - t)).Sum() / pred.Length;
        Assert.That(logs["loss"], Is.EqualTo(mse).Within(1e-5));
    }

    [Test]
    public void FitReportsTheMetricsPerEpoch()
    {
        float[] pred = Uniform(Rows * Cols, 9), target = Bits(Rows * Cols, 10);
        using var model = new Sequential(new Layers.Activation("linear", inputShape: [Cols]));
        model.Compile(loss: "mse", metrics: ["precision", "auc"]);
        var x = new Tensor(pred, Rows, Cols);
        var y = new Tensor(target, Rows, Cols);
        var history = model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false, validationData: (x, y));
        var (tp, fp, _, _) = Counts(pred, target, 0.5);
        Assert.That(history["precision"], Has.All.EqualTo(tp / (tp + fp)).Within(1e-9));
        Assert.That(history["val_auc"], Has.All.EqualTo(ReferenceAuc(pred, target, 200)).Within(1e-9));
    }

    [Test]
    public void BadArgumentsAreClearErrors()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Precision(1.5f))!.Message, Does.Contain("[0, 1]"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new AUC(1))!.Message, Does.Contain("num_thresholds=1"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new AUC(curve: "XY"))!.Message, Does.Contain("ROC"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new AUC(summationMethod: "x"))!.Message, Does.Contain("interpolation"));
    }

    [Test]
    public void TooManyAccumulatorSlotsIsAClearError()
    {
        using var model = new Sequential(new Layers.Activation("linear", inputShape: [Cols]));
        var e = Assert.Throws<ArgumentException>(() =>
        {
            model.Compile(loss: "mse", metrics: [new AUC(20000)]);
            model.Evaluate(new Tensor(new float[Cols], 1, Cols), new Tensor(new float[Cols], 1, Cols), verbose: 0);
        });
        Assert.That(e!.Message, Does.Contain("accumulator slots"));
    }
}
