using SequentialNet.Metrics;
using static SequentialNet.Tests.Metrics.MetricTestUtil;

namespace SequentialNet.Tests.Metrics;

/// <summary>Top-k accuracy through Evaluate, several batches, against a float64 count in the test.</summary>
public class TopKAccuracyTests
{
    private const int Rows = 53, Cols = 8;

    /// <summary>in_top_k: correct when fewer than k classes score strictly higher than the target class.</summary>
    private static double Reference(float[] pred, int[] classes, int k)
    {
        int hits = 0;
        for (int r = 0; r < classes.Length; r++)
        {
            double score = pred[r * Cols + classes[r]];
            int higher = Enumerable.Range(0, Cols).Count(j => pred[r * Cols + j] > score);
            if (higher < k) hits++;
        }
        return (double)hits / classes.Length;
    }

    private static (float[] Pred, int[] Classes) Data(int seed)
    {
        var random = new Random(seed);
        // Coarse scores (multiples of 1/8) so ties at the boundary happen.
        float[] pred = Enumerable.Range(0, Rows * Cols).Select(_ => (random.Next(8) + 1) / 8f).ToArray();
        int[] classes = Enumerable.Range(0, Rows).Select(_ => random.Next(Cols)).ToArray();
        return (pred, classes);
    }

    private static Tensor OneHot(int[] classes)
    {
        var data = new float[classes.Length * Cols];
        for (int r = 0; r < classes.Length; r++) data[r * Cols + classes[r]] = 1f;
        return new Tensor(data, classes.Length, Cols);
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(5)]
    public void TopKCategoricalAccuracyMatchesTheReference(int k)
    {
        var (pred, classes) = Data(k);
        var logs = EvaluateOn(pred, Cols, OneHot(classes), "categorical_crossentropy", new TopKCategoricalAccuracy(k), batchSize: 16);
        Assert.That(logs["top_k_categorical_accuracy"], Is.EqualTo(Reference(pred, classes, k)).Within(1e-6));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    public void SparseTopKCategoricalAccuracyMatchesTheReference(int k)
    {
        var (pred, classes) = Data(10 + k);
        var logs = EvaluateOn(pred, Cols, Tensor.FromLabels(classes), "sparse_categorical_crossentropy", new SparseTopKCategoricalAccuracy(k), batchSize: 10);
        Assert.That(logs["sparse_top_k_categorical_accuracy"], Is.EqualTo(Reference(pred, classes, k)).Within(1e-6));
    }

    [Test]
    public void TiesAtTheBoundaryCountAsInTensorFlow()
    {
        // Row 0: target 2 ties with two higher-ranked classes' neighbour; only class 0 is strictly higher.
        float[] pred = [0.9f, 0.5f, 0.5f, 0.1f, 0.2f, 0.2f, 0.2f, 0.4f];
        var logs = EvaluateOn(pred, 4, Tensor.FromLabels([2, 0]), "sparse_categorical_crossentropy", new SparseTopKCategoricalAccuracy(2), batchSize: 1);
        // Row 1: target 0 (0.2) has class 3 (0.4) strictly higher and two ties → in the top 2.
        Assert.That(logs["sparse_top_k_categorical_accuracy"], Is.EqualTo(1.0));
    }

    [Test]
    public void NamesResolveAndArgumentsAreChecked()
    {
        Assert.That(Metric.Get("top_k_categorical_accuracy"), Is.InstanceOf<TopKCategoricalAccuracy>().With.Property("K").EqualTo(5));
        Assert.That(Metric.Get("sparse_top_k_categorical_accuracy"), Is.InstanceOf<SparseTopKCategoricalAccuracy>());
        var e = Assert.Throws<ArgumentException>(() => _ = new TopKCategoricalAccuracy(0));
        Assert.That(e!.Message, Does.Contain("k=0"));
    }

    [Test]
    public void WrongTargetKindIsAClearError()
    {
        using var model = new Sequential(new Layers.Activation("linear", inputShape: [4]));
        var e = Assert.Throws<ArgumentException>(() =>
        {
            model.Compile(loss: "sparse_categorical_crossentropy", metrics: [new TopKCategoricalAccuracy()]);
            model.Evaluate(new Tensor(new float[8], 2, 4), Tensor.FromLabels([0, 1]), verbose: 0);
        });
        Assert.That(e!.Message, Does.Contain("SparseTopKCategoricalAccuracy"));
    }
}
