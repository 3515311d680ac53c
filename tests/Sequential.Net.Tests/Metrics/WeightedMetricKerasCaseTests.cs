using SequentialNet.Layers;
using SequentialNet.Metrics;

namespace SequentialNet.Tests.Metrics;

/// <summary>
/// Compile(weightedMetrics:) through Evaluate(sampleWeight:), on the cases of Keras 3's own metric tests
/// (keras/src/metrics/accuracy_metrics_test.py and confusion_metrics_test.py), each expected value written
/// from Keras's formula in float64 beside the number Keras asserts.
/// </summary>
public class WeightedMetricKerasCaseTests
{
    /// <summary>An identity model (the predictions are the inputs), evaluated with <paramref name="weights"/> in batches of 3.</summary>
    internal static Dictionary<string, double> Evaluate(float[] pred, int cols, Tensor y, string loss, float[]? weights,
        Metric[]? metrics = null, Metric[]? weightedMetrics = null, int batchSize = 3)
    {
        int rows = pred.Length / cols;
        using var model = new Sequential(new Activation("linear", inputShape: [cols]));
        model.Compile(loss: loss, metrics: metrics, weightedMetrics: weightedMetrics);
        return model.Evaluate(new Tensor(pred, rows, cols), y, batchSize: batchSize, verbose: 0,
            sampleWeight: weights == null ? null : new Tensor(weights, rows));
    }

    private static Dictionary<string, double> Binary(float[] pred, float[] truth, float[] weights, params Metric[] weighted)
        => Evaluate(pred, 1, new Tensor(truth, truth.Length, 1), "mse", weights, weightedMetrics: weighted);

    [Test]
    public void AucWeightedRocMatchesKeras()
    {
        // AUCTest: num_thresholds=3, thresholds [−1e-7, 0.5, 1+1e-7]; weighted tp = [7, 4, 0], fp = [3, 0, 0],
        // fn = [0, 3, 7], tn = [0, 3, 3]: recall = [1, 4/7, 0], fp_rate = [1, 0, 0].
        float[] pred = [0f, 0.5f, 0.3f, 0.9f], truth = [0, 0, 1, 1], w = [1, 2, 3, 4];
        double recall = 4.0 / 7;
        var logs = Binary(pred, truth, w, new AUC(3));
        Assert.That(logs["auc"], Is.EqualTo((1 + recall) / 2).Within(1e-6));                  // interpolation
        Assert.That(logs["auc"], Is.EqualTo(0.7855).Within(1e-3), "Keras's asserted value");
        var majoring = Binary(pred, truth, w, new AUC(3, summationMethod: "majoring"));
        Assert.That(majoring["auc"], Is.EqualTo(1.0).Within(1e-6));                             // max(1, 4/7)·1
        var minoring = Binary(pred, truth, w, new AUC(3, summationMethod: "minoring"));
        Assert.That(minoring["auc"], Is.EqualTo(recall).Within(1e-6));                          // min(1, 4/7)·1
        Assert.That(minoring["auc"], Is.EqualTo(0.571).Within(1e-3), "Keras's asserted value");
    }

    [Test]
    public void PrecisionWeightedMatchesKeras()
    {
        // PrecisionTest.test_weighted, flattened to 8 samples of one output: weighted TP = 3 + 4,
        // weighted predicted positives = (1 + 3) + (4 + 2).
        float[] pred = [1, 0, 1, 0, 1, 0, 1, 0], truth = [0, 1, 1, 0, 1, 0, 0, 1], w = [1, 2, 3, 4, 4, 3, 2, 1];
        var logs = Binary(pred, truth, w, new Precision());
        Assert.That(logs["precision"], Is.EqualTo(7.0 / 10).Within(1e-7));
    }

    [Test]
    public void ConfusionCountsWithRowWeightsMatchKeras()
    {
        // FalsePositivesTest / TruePositiveTest / FalseNegativesTest test_weighted: (4, 5) predictions, one weight
        // per row (1, 1.5, 2, 2.5), every element of a row weighted by it: TP = 12, FP = 14, FN = 5 (Keras's values).
        float[] truth = [0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1];
        float[] pred = [0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1];
        float[] w = [1f, 1.5f, 2f, 2.5f];
        var logs = Evaluate(pred, 5, new Tensor(truth, 4, 5), "mse", w, weightedMetrics: [new Precision(), new Recall()]);
        Assert.That(logs["precision"], Is.EqualTo(12.0 / (12 + 14)).Within(1e-7));
        Assert.That(logs["recall"], Is.EqualTo(12.0 / (12 + 5)).Within(1e-7));
    }

    [Test]
    public void BinaryAccuracyWeightedMatchesKeras()
    {
        // The case: matches (1, 0, 0, 1) weighted (1, 3, 2, 5) → (1 + 5) / 11.
        var logs = Binary([0.9f, 0.2f, 0.7f, 0.1f], [1, 1, 0, 0], [1, 3, 2, 5], new BinaryAccuracy());
        Assert.That(logs["binary_accuracy"], Is.EqualTo(6.0 / 11).Within(1e-7));
        // BinaryAccuracyTest.test_weighted: y_pred [0.98, 1, 0, 0.6], weights [1, 0, 0, 1] → 0.5.
        logs = Binary([0.98f, 1f, 0f, 0.6f], [1, 1, 0, 0], [1, 0, 0, 1], "accuracy");
        Assert.That(logs["accuracy"], Is.EqualTo(0.5).Within(1e-7));
    }

    [Test]
    public void CategoricalSparseAndTopKWeightedMatchKeras()
    {
        // CategoricalAccuracyTest / SparseCategoricalAccuracyTest / TopKCategoricalAccuracyTest (k = 1) test_weighted:
        // row 0 wrong, row 1 right, weights (0.7, 0.3) → 0.3.
        float[] pred = [0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f];
        float[] w = [0.7f, 0.3f];
        var oneHot = new Tensor([0, 0, 1, 0, 1, 0], 2, 3);
        var logs = Evaluate(pred, 3, oneHot, "categorical_crossentropy", w, weightedMetrics: [new CategoricalAccuracy(), new TopKCategoricalAccuracy(1)]);
        Assert.That(logs["categorical_accuracy"], Is.EqualTo(0.3).Within(1e-7));
        Assert.That(logs["top_k_categorical_accuracy"], Is.EqualTo(0.3).Within(1e-7));
        float[] sparsePred = [0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0f];
        logs = Evaluate(sparsePred, 3, Tensor.FromLabels([2, 1]), "sparse_categorical_crossentropy", w,
            weightedMetrics: [new SparseCategoricalAccuracy(), new SparseTopKCategoricalAccuracy(1), "accuracy"]);
        Assert.That(logs["sparse_categorical_accuracy"], Is.EqualTo(0.3).Within(1e-7));
        Assert.That(logs["sparse_top_k_categorical_accuracy"], Is.EqualTo(0.3).Within(1e-7));
        Assert.That(logs["accuracy"], Is.EqualTo(0.3).Within(1e-7));
    }

    [Test]
    public void MetricsListStaysUnweightedAsInKeras()
    {
        // Keras 3's CompileMetrics.update_state calls the `metrics` without sample_weight and the
        // `weighted_metrics` with it; a name in both is reported twice, the weighted one as "weighted_<name>".
        float[] pred = [0.9f, 0.2f, 0.7f, 0.1f], truth = [1, 1, 0, 0], w = [1, 3, 2, 5];
        var logs = Evaluate(pred, 1, new Tensor(truth, 4, 1), "mse", w, metrics: ["accuracy", "auc"], weightedMetrics: ["accuracy", new Precision()]);
        Assert.That(logs["accuracy"], Is.EqualTo(0.5));
        Assert.That(logs["weighted_accuracy"], Is.EqualTo(6.0 / 11).Within(1e-7));
        Assert.That(logs["precision"], Is.EqualTo(1.0 / 3).Within(1e-7));                      // TP 1, FP 2 by weight
        var plain = Evaluate(pred, 1, new Tensor(truth, 4, 1), "mse", null, metrics: ["accuracy", "auc"]);
        Assert.That(logs["auc"], Is.EqualTo(plain["auc"]), "an unweighted metric does not see the weights");
    }

    [Test]
    public void ListingAMetricTwiceInOneListIsAnError()
    {
        using var model = new Sequential(new Activation("linear", inputShape: [1]));
        var e = Assert.Throws<ArgumentException>(() => model.Compile(loss: "mse", weightedMetrics: ["accuracy", "accuracy"]));
        Assert.That(e!.Message, Does.Contain("listed twice").And.Contain("weightedMetrics"));
    }
}
