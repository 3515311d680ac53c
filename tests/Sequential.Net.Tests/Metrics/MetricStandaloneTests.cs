using SequentialNet.Metrics;

namespace SequentialNet.Tests.Metrics;

/// <summary>
/// Metric objects on their own (UpdateState / Result / ResetState), on the cases of Keras 3's
/// accuracy_metrics_test.py and confusion_metrics_test.py, which call update_state and result the same way.
/// </summary>
public class MetricStandaloneTests
{
    private static Tensor Column(params float[] v) => new(v, v.Length, 1);

    [Test]
    public void BinaryAccuracyMatchesKerasTests()
    {
        var m = new BinaryAccuracy();
        m.UpdateState(Column(1, 1, 0, 0), Column(0.98f, 1, 0, 0.6f));
        Assert.That(m.Result(), Is.EqualTo(0.75).Within(1e-7));                          // test_unweighted
        m.ResetState();
        m.UpdateState(Column(1, 1, 0, 0), Column(0.98f, 1, 0, 0.6f), new Tensor([1f, 0, 0, 1], 4));
        Assert.That(m.Result(), Is.EqualTo(0.5).Within(1e-7));                           // test_weighted
        var low = new BinaryAccuracy(0.3f);
        var high = new BinaryAccuracy(0.9f);
        low.UpdateState(Column(1, 1, 0, 0), Column(0.98f, 0.5f, 0.1f, 0.2f));
        high.UpdateState(Column(1, 1, 0, 0), Column(0.98f, 0.5f, 0.1f, 0.2f));
        Assert.That((low.Result(), high.Result()), Is.EqualTo((1.0, 0.75)));              // test_threshold
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new BinaryAccuracy(1.5f))!.Message, Does.Contain("Invalid value for argument `threshold`"));
    }

    [Test]
    public void CategoricalSparseAndTopKMatchKerasTests()
    {
        var yTrue = new Tensor([0, 0, 1, 0, 1, 0], 2, 3);
        var yPred = new Tensor([0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f], 2, 3);
        var w = new Tensor([0.7f, 0.3f], 2);
        foreach (Metric m in new Metric[] { new CategoricalAccuracy(), new TopKCategoricalAccuracy(1) })
        {
            m.UpdateState(yTrue, yPred);
            Assert.That(m.Result(), Is.EqualTo(0.5).Within(1e-7), m.Name);
            m.ResetState();
            m.UpdateState(yTrue, yPred, w);
            Assert.That(m.Result(), Is.EqualTo(0.3).Within(1e-7), m.Name);
        }
        var sparse = new SparseCategoricalAccuracy();
        var sparsePred = new Tensor([0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0f], 2, 3);
        sparse.UpdateState(new Tensor([2f, 1f], 2, 1), sparsePred);
        Assert.That(sparse.Result(), Is.EqualTo(0.5).Within(1e-7));
        sparse.ResetState();
        sparse.UpdateState(new Tensor([2f, 1f], 2), sparsePred, w);
        Assert.That(sparse.Result(), Is.EqualTo(0.3).Within(1e-7));
    }

    [Test]
    public void ConfusionMetricsMatchKerasTests()
    {
        var p = new Precision();
        p.UpdateState(new Tensor([0f, 1, 1, 0], 4), new Tensor([1f, 0, 1, 0], 4));
        Assert.That(p.Result(), Is.EqualTo(0.5).Within(1e-7));                          // PrecisionTest.test_unweighted
        var auc = new AUC(3);
        auc.UpdateState(Column(0, 0, 1, 1), Column(0, 0.5f, 0.3f, 0.9f), new Tensor([1f, 2, 3, 4], 4));
        Assert.That(auc.Result(), Is.EqualTo((1 + 4.0 / 7) / 2).Within(1e-6));           // test_weighted_roc_interpolation: 0.7855
        var plain = new AUC(3);
        plain.UpdateState(Column(0, 0, 1, 1), Column(0, 0.5f, 0.3f, 0.9f));
        Assert.That(plain.Result(), Is.EqualTo(0.75).Within(1e-6));                      // test_unweighted
        var zero = new Precision();
        zero.UpdateState(new Tensor(new float[4], 4), new Tensor(new float[4], 4));
        Assert.That(zero.Result(), Is.Zero);                                             // test_div_by_zero
    }

    [Test]
    public void StateAccumulatesOverUpdatesUntilReset()
    {
        // Keras's test_multiple_updates: the state is the sum of the updates.
        var recall = new Recall();
        float[] t1 = [0, 1, 1, 0], p1 = [1, 0, 0.6f, 0], t2 = [1, 1, 0, 1], p2 = [0.9f, 0.2f, 0.7f, 0.8f];
        recall.UpdateState(Column(t1), Column(p1), new Tensor([4f, 0, 3, 1], 4));
        recall.UpdateState(Column(t2), Column(p2), new Tensor([1f, 2, 1, 1], 4));
        // Weighted TP = 3 (first) + 1 + 1 (second); FN = 0 + 2.
        Assert.That(recall.Result(), Is.EqualTo(5.0 / 7).Within(1e-7));
        recall.ResetState();
        Assert.That(recall.Result(), Is.Zero);
        var mae = new MeanAbsoluteError();
        mae.UpdateState(new Tensor([1f, 2, 3, 4], 2, 2), new Tensor([1.5f, 2, 2, 6], 2, 2));
        mae.UpdateState(new Tensor([0f, 0], 1, 2), new Tensor([1f, 1], 1, 2), new Tensor([2f], 1));
        // Per-sample MAE 0.25, 1.5 (weight 1 each) and 1 (weight 2): (0.25 + 1.5 + 2) / 4.
        Assert.That(mae.Result(), Is.EqualTo(3.75 / 4).Within(1e-7));
    }

    [Test]
    public void MismatchedShapesAreClearErrors()
    {
        var m = new BinaryAccuracy();
        var e = Assert.Throws<ArgumentException>(() => m.UpdateState(new Tensor(new float[3], 3), new Tensor(new float[4], 4)));
        Assert.That(e!.Message, Does.Contain("BinaryAccuracy.UpdateState").And.Contain("Received: yTrue (3,)"));
        e = Assert.Throws<ArgumentException>(() => m.UpdateState(new Tensor(new float[4], 4), new Tensor(new float[4], 4), new Tensor(new float[3], 3)));
        Assert.That(e!.Message, Does.Contain("sampleWeight"));
    }
}
