using SequentialNet.Callbacks;
using SequentialNet.Layers;
using SequentialNet.Metrics;
using static SequentialNet.Tests.Metrics.MetricTestUtil;
using static SequentialNet.Tests.Metrics.WeightedMetricKerasCaseTests;

namespace SequentialNet.Tests.Metrics;

/// <summary>
/// Weighted metrics over several batches against Keras's formulas in float64: Σ w·v / Σ w for the means,
/// weighted confusion counts for Precision, Recall and AUC; weight 0 drops a sample; all-zero weights give 0
/// (divide_no_nan); Fit weighs training and validation as Keras 3 does; the compile config keeps them.
/// </summary>
public class WeightedMetricRuleTests
{
    private const int Rows = 47, Cols = 3;

    private static float[] RandomWeights(int n, int seed, bool withZeros = true)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(i => withZeros && i % 6 == 0 ? 0f : (float)(0.25 + 2.5 * random.NextDouble()))];
    }

    private static double NoNan(double a, double b) => b == 0 ? 0 : a / b;

    /// <summary>Weighted (TP, FP, TN, FN) at a threshold: every element of row r weighs w[r].</summary>
    private static (double Tp, double Fp, double Tn, double Fn) Counts(float[] pred, float[] truth, float[] w, int cols, double threshold)
    {
        double tp = 0, fp = 0, tn = 0, fn = 0;
        for (int e = 0; e < pred.Length; e++)
        {
            bool p = pred[e] > threshold, t = truth[e] != 0;
            double we = w[e / cols];
            if (p && t) tp += we; else if (p) fp += we; else if (t) fn += we; else tn += we;
        }
        return (tp, fp, tn, fn);
    }

    /// <summary>Keras's ROC AUC with interpolation over weighted counts at thresholds [−1e-7, i/(n−1), 1+1e-7].</summary>
    private static double Auc(float[] pred, float[] truth, float[] w, int cols, int n)
    {
        double area = 0, prevX = 0, prevY = 0;
        for (int i = 0; i < n; i++)
        {
            float threshold = i == 0 ? -1e-7f : i == n - 1 ? 1f + 1e-7f : (float)((double)i / (n - 1));
            var (tp, fp, tn, fn) = Counts(pred, truth, w, cols, threshold);
            double x = NoNan(fp, fp + tn), y = NoNan(tp, tp + fn);
            if (i > 0) area += (prevX - x) * (prevY + y) / 2;
            (prevX, prevY) = (x, y);
        }
        return area;
    }

    /// <summary>Σ w·v / Σ w (0 when Σ w = 0), Keras's Mean over per-sample values.</summary>
    private static double WeightedMean(Func<int, double> value, float[] w)
    {
        double total = 0, count = 0;
        for (int r = 0; r < w.Length; r++) { total += w[r] * value(r); count += w[r]; }
        return NoNan(total, count);
    }

    private static Metric[] AllBinaryMetrics() =>
        [new BinaryAccuracy(0.3f), new MeanAbsoluteError(), new Precision(), new Recall(0.4f), new AUC(50)];

    private static Dictionary<string, double> Expected(float[] pred, float[] truth, float[] w)
    {
        var (tp, fp, _, _) = Counts(pred, truth, w, Cols, 0.5);
        var (rtp, _, _, rfn) = Counts(pred, truth, w, Cols, 0.4);
        return new()
        {
            ["binary_accuracy"] = WeightedMean(r => Enumerable.Range(0, Cols).Count(j => pred[r * Cols + j] > 0.3f == truth[r * Cols + j] > 0.5f) / (double)Cols, w),
            ["mean_absolute_error"] = WeightedMean(r => Enumerable.Range(0, Cols).Average(j => Math.Abs((double)pred[r * Cols + j] - truth[r * Cols + j])), w),
            ["precision"] = NoNan(tp, tp + fp),
            ["recall"] = NoNan(rtp, rtp + rfn),
            ["auc"] = Auc(pred, truth, w, Cols, 50),
        };
    }

    [Test]
    public void WeightedMetricsMatchKerasFormulasOverSeveralBatches()
    {
        float[] pred = Uniform(Rows * Cols, 21), truth = Bits(Rows * Cols, 22), w = RandomWeights(Rows, 23);
        var logs = Evaluate(pred, Cols, new Tensor(truth, Rows, Cols), "mse", w, weightedMetrics: AllBinaryMetrics(), batchSize: 8);
        foreach (var (name, expected) in Expected(pred, truth, w))
            Assert.That(logs[name], Is.EqualTo(expected).Within(1e-5 * Math.Abs(expected) + 1e-7), name);   // float32 sums
    }

    [Test]
    public void TopKAndSparseAccuracyMatchKerasFormulas()
    {
        const int rows = 41, cols = 6;
        var random = new Random(24);
        float[] pred = [.. Enumerable.Range(0, rows * cols).Select(_ => (random.Next(6) + 1) / 6f)];   // ties occur
        int[] classes = [.. Enumerable.Range(0, rows).Select(_ => random.Next(cols))];
        float[] w = RandomWeights(rows, 25);
        var logs = Evaluate(pred, cols, Tensor.FromLabels(classes), "sparse_categorical_crossentropy", w,
            weightedMetrics: [new SparseTopKCategoricalAccuracy(2), new SparseCategoricalAccuracy()], batchSize: 5);
        int Higher(int r) => Enumerable.Range(0, cols).Count(j => pred[r * cols + j] > pred[r * cols + classes[r]]);
        int ArgMax(int r) => Enumerable.Range(0, cols).Aggregate(0, (best, j) => pred[r * cols + j] > pred[r * cols + best] ? j : best);
        Assert.That(logs["sparse_top_k_categorical_accuracy"], Is.EqualTo(WeightedMean(r => Higher(r) < 2 ? 1 : 0, w)).Within(1e-6));
        Assert.That(logs["sparse_categorical_accuracy"], Is.EqualTo(WeightedMean(r => ArgMax(r) == classes[r] ? 1 : 0, w)).Within(1e-6));
    }

    [Test]
    public void WeightZeroDropsTheSample()
    {
        float[] pred = Uniform(Rows * Cols, 26), truth = Bits(Rows * Cols, 27);
        float[] w = [.. Enumerable.Range(0, Rows).Select(i => i % 4 == 1 ? 0f : 1f)];
        int[] kept = [.. Enumerable.Range(0, Rows).Where(i => w[i] != 0)];
        float[] keptPred = [.. kept.SelectMany(r => pred.Skip(r * Cols).Take(Cols))];
        float[] keptTruth = [.. kept.SelectMany(r => truth.Skip(r * Cols).Take(Cols))];
        var weighted = Evaluate(pred, Cols, new Tensor(truth, Rows, Cols), "mse", w, weightedMetrics: AllBinaryMetrics(), batchSize: 8);
        var subset = Evaluate(keptPred, Cols, new Tensor(keptTruth, kept.Length, Cols), "mse", null, metrics: AllBinaryMetrics(), batchSize: 8);
        foreach (string name in new[] { "binary_accuracy", "precision", "recall", "auc" })
            Assert.That(weighted[name], Is.EqualTo(subset[name]).Within(1e-12), name);                // 0/1 weights: exact counts
        Assert.That(weighted["mean_absolute_error"], Is.EqualTo(subset["mean_absolute_error"]).Within(1e-6));
    }

    [Test]
    public void AllZeroWeightsReportZeroAsKerasDivideNoNan()
    {
        float[] pred = Uniform(Rows * Cols, 28), truth = Bits(Rows * Cols, 29);
        var logs = Evaluate(pred, Cols, new Tensor(truth, Rows, Cols), "mse", new float[Rows], weightedMetrics: AllBinaryMetrics(), batchSize: 8);
        foreach (string name in new[] { "loss", "binary_accuracy", "mean_absolute_error", "precision", "recall", "auc" })
            Assert.That(logs[name], Is.EqualTo(0.0), name);
    }

    [Test]
    public void UnweightedMetricsAreBitwiseTheFloat32CountOverSamples()
    {
        // Compile(metrics:) ignores the weights: the result is count / samples in float32, as before weighting.
        float[] pred = Uniform(Rows, 30), truth = Bits(Rows, 31);
        var logs = Evaluate(pred, 1, new Tensor(truth, Rows, 1), "mse", RandomWeights(Rows, 32), metrics: ["accuracy"], batchSize: 8);
        int correct = Enumerable.Range(0, Rows).Count(r => pred[r] > 0.5f == truth[r] > 0.5f);
        Assert.That(logs["accuracy"], Is.EqualTo((double)((float)correct / Rows)));
        // Weighted with all weights 1: Σ w = samples exactly, so the same bits.
        var ones = Evaluate(pred, 1, new Tensor(truth, Rows, 1), "mse", [.. Enumerable.Repeat(1f, Rows)], weightedMetrics: ["accuracy"], batchSize: 8);
        Assert.That(ones["accuracy"], Is.EqualTo(logs["accuracy"]));
    }

    [Test]
    public void FitWeighsTrainingAndValidationAsKeras3()
    {
        // Identity model: nothing trains, so every epoch reports the same formulas. Class weights are turned
        // into sample weights for training only; the held-out rows of a validation split are unweighted.
        const int n = 40, split = 30;
        float[] pred = Uniform(n, 33), truth = Bits(n, 34);
        var x = new Tensor(pred, n, 1);
        var y = new Tensor(truth, n, 1);
        using var model = new Sequential(new Activation("linear", inputShape: [1]));
        model.Compile(loss: "binary_crossentropy", metrics: ["accuracy"], weightedMetrics: ["accuracy", "auc"]);
        var history = model.Fit(x, y, epochs: 2, batchSize: 7, verbose: 0, shuffle: false, validationSplit: 0.25,
            classWeight: new Dictionary<int, double> { [1] = 3.0 },
            callbacks: [new EarlyStopping(monitor: "val_weighted_accuracy", patience: 5)]);   // "auto" resolves to max
        float[] trainW = [.. truth.Take(split).Select(t => t == 1 ? 3f : 1f)];
        Func<int, double> correct = r => pred[r] > 0.5f == truth[r] > 0.5f ? 1 : 0;
        Assert.That(history["weighted_accuracy"], Has.All.EqualTo(WeightedMean(correct, trainW)).Within(1e-6));
        Assert.That(history["accuracy"], Has.All.EqualTo(Enumerable.Range(0, split).Average(correct)).Within(1e-6));
        Assert.That(history["auc"], Has.All.EqualTo(Auc(pred[..split], truth[..split], trainW, 1, 200)).Within(1e-6));
        double validation = Enumerable.Range(split, n - split).Average(correct);
        Assert.That(history["val_weighted_accuracy"], Has.All.EqualTo(validation).Within(1e-6), "class weights are for training only");
        Assert.That(history["val_auc"], Has.All.EqualTo(Auc(pred[split..], truth[split..], [.. Enumerable.Repeat(1f, n - split)], 1, 200)).Within(1e-6));
    }

    [Test]
    public void FitWeighsValidationSplitAndValidationDataBySampleWeights()
    {
        const int n = 40, split = 30;
        float[] pred = Uniform(n, 35), truth = Bits(n, 36), w = RandomWeights(n, 37);
        var x = new Tensor(pred, n, 1);
        var y = new Tensor(truth, n, 1);
        Func<int, double> correct = r => pred[r] > 0.5f == truth[r] > 0.5f ? 1 : 0;
        using var model = new Sequential(new Activation("linear", inputShape: [1]));
        model.Compile(loss: "mse", weightedMetrics: ["accuracy"]);
        var history = model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0, shuffle: false, validationSplit: 0.25, sampleWeight: new Tensor(w, n));
        Assert.That(history["accuracy"][0], Is.EqualTo(WeightedMean(correct, w[..split])).Within(1e-6));
        Assert.That(history["val_accuracy"][0], Is.EqualTo(WeightedMean(r => correct(split + r), w[split..])).Within(1e-6), "held-out rows keep their weights");
        history = model.Fit(x.Rows(0, split), y.Rows(0, split), epochs: 1, batchSize: 8, verbose: 0, shuffle: false,
            validationData: (x.Rows(split, n - split), y.Rows(split, n - split)), validationSampleWeight: new Tensor(w[split..], n - split));
        Assert.That(history["accuracy"][0], Is.EqualTo(Enumerable.Range(0, split).Average(correct)).Within(1e-6), "unweighted training");
        Assert.That(history["val_accuracy"][0], Is.EqualTo(WeightedMean(r => correct(split + r), w[split..])).Within(1e-6), "validationSampleWeight");
    }

    [Test]
    public void SavedModelKeepsItsWeightedMetrics()
    {
        string path = Path.Combine(Path.GetTempPath(), $"weighted-metrics-{Guid.NewGuid():N}.snet");
        try
        {
            float[] pred = [0.9f, 0.2f, 0.7f, 0.1f], truth = [1, 1, 0, 0], w = [1, 3, 2, 5];
            using (var model = new Sequential(new Activation("linear", inputShape: [1])))
            {
                model.Compile(loss: "mse", metrics: ["accuracy"], weightedMetrics: [new BinaryAccuracy(0.5f), "accuracy"]);
                model.Save(path);
            }
            using var loaded = Model.Load(path);
            Assert.That(loaded.CompiledMetrics.Select(m => m.Name), Is.EqualTo(new[] { "accuracy", "binary_accuracy", "weighted_accuracy" }));
            var logs = loaded.Evaluate(new Tensor(pred, 4, 1), new Tensor(truth, 4, 1), verbose: 0, sampleWeight: new Tensor(w, 4));
            Assert.That(logs["accuracy"], Is.EqualTo(0.5));
            Assert.That(logs["binary_accuracy"], Is.EqualTo(6.0 / 11).Within(1e-7));
            Assert.That(logs["weighted_accuracy"], Is.EqualTo(6.0 / 11).Within(1e-7));
        }
        finally { File.Delete(path); }
    }
}
