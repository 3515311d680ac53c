using SequentialNet.Metrics;
using static SequentialNet.Tests.Metrics.WeightedMetricKerasCaseTests;

namespace SequentialNet.Tests.Metrics;

/// <summary>MeanIoU: Keras 3's iou_metrics_test.py cases on its own, and through Evaluate against the formula.</summary>
public class MeanIoUTests
{
    [Test]
    public void KerasTestValues()
    {
        // y_pred [0, 1, 0, 1], y_true [0, 0, 1, 1]: cm = [[1, 1], [1, 1]], IoU = 1 / (2 + 2 − 1) per class.
        var m = new MeanIoU(2);
        m.UpdateState(new Tensor([0f, 0, 1, 1], 4), new Tensor([0f, 1, 0, 1], 4));
        Assert.That(m.Result(), Is.EqualTo(1.0 / 3).Within(1e-6));
        // Weighted [0.2, 0.3, 0.4, 0.1]: cm = [[0.2, 0.3], [0.4, 0.1]].
        m.ResetState();
        m.UpdateState(new Tensor([0f, 0, 1, 1], 4), new Tensor([0f, 1, 0, 1], 4), new Tensor([0.2f, 0.3f, 0.4f, 0.1f], 4));
        Assert.That(m.Result(), Is.EqualTo((0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2).Within(1e-6));
        // A class that never occurs does not count in the mean (its denominator is 0).
        var three = new MeanIoU(3);
        three.UpdateState(new Tensor([0f, 0, 1, 1], 4), new Tensor([0f, 1, 0, 1], 4));
        Assert.That(three.Result(), Is.EqualTo(1.0 / 3).Within(1e-6));
    }

    [Test]
    public void EvaluateOnScoresMatchesTheFormula()
    {
        const int rows = 53, classes = 4;
        var random = new Random(50);
        float[] pred = [.. Enumerable.Range(0, rows * classes).Select(_ => (float)random.NextDouble())];
        int[] labels = [.. Enumerable.Range(0, rows).Select(_ => random.Next(classes))];
        float[] w = [.. Enumerable.Range(0, rows).Select(i => i % 4 == 0 ? 0f : (float)(0.5 + random.NextDouble()))];
        double Expected(bool weighted, int? ignore)
        {
            var cm = new double[classes, classes];
            for (int r = 0; r < rows; r++)
            {
                int p = Enumerable.Range(0, classes).Aggregate(0, (best, j) => pred[r * classes + j] > pred[r * classes + best] ? j : best);
                if (labels[r] != ignore) cm[labels[r], p] += weighted ? w[r] : 1;
            }
            double sum = 0, valid = 0;
            for (int c = 0; c < classes; c++)
            {
                double col = 0, row = 0;
                for (int j = 0; j < classes; j++) { col += cm[j, c]; row += cm[c, j]; }
                double den = col + row - cm[c, c];
                if (den > 1e-9) valid++;
                sum += cm[c, c] / (den + 1e-7);
            }
            return sum / (valid + 1e-7);
        }
        var logs = Evaluate(pred, classes, Tensor.FromLabels(labels), "sparse_categorical_crossentropy", w,
            metrics: [new MeanIoU(classes, sparseYPred: false)], weightedMetrics: [new MeanIoU(classes, ignoreClass: 2, sparseYPred: false)], batchSize: 8);
        Assert.That(logs["mean_io_u"], Is.EqualTo(Expected(false, null)).Within(1e-6));
        Assert.That(logs["weighted_mean_io_u"], Is.EqualTo(Expected(true, 2)).Within(1e-6));
    }

    [Test]
    public void ArgumentsAndTargetKindsAreChecked()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new MeanIoU(1))!.Message, Does.Contain("num_classes=1"));
        var e = Assert.Throws<ArgumentException>(() => Evaluate(new float[6], 3, Tensor.FromLabels([0, 1]), "sparse_categorical_crossentropy", null, metrics: [new MeanIoU(3)]));
        Assert.That(e!.Message, Does.Contain("sparseYPred: false"));
        e = Assert.Throws<ArgumentException>(() => Evaluate(new float[6], 3, new Tensor(new float[6], 2, 3), "categorical_crossentropy", null, metrics: [new MeanIoU(3, sparseYPred: false)]));
        Assert.That(e!.Message, Does.Contain("sparseYTrue: true"));
    }
}
