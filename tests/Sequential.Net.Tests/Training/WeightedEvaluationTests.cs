using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Training;

/// <summary>
/// Weighted losses outside the train step, with Keras 3 semantics: Evaluate's sampleWeight, a validation
/// split that keeps the held-out rows' sample weights (class weights are for training only), and
/// validationData with its own weights. The loss is Σ w·l / N; the metrics stay unweighted.
/// </summary>
public class WeightedEvaluationTests
{
    private static Sequential Model()
    {
        Utils.SetRandomSeed(11);
        var model = new Sequential(new SequentialNet.Layers.Dense(3, activation: "softmax", inputShape: [4]));
        model.Compile(optimizer: new SGD(0.1), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        return model;
    }

    private static Tensor Weights(int n, int seed)
    {
        var random = new Random(seed);
        return new Tensor([.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 3))], n);
    }

    [Test]
    public void EvaluateWeighsTheLossAsTheWeightedSumOverTheSamples()
    {
        var x = TestData.Random(10, 4, 1);
        var y = TestData.Labels(10, 3, 2);
        var w = Weights(10, 3);
        var model = Model();
        var p = model.Predict(x);
        double expected = 0;
        for (int i = 0; i < 10; i++) expected += w.Data[i] * -Math.Log(p[i, (int)y.Data[i]]);
        expected /= 10;
        var weighted = model.Evaluate(x, y, batchSize: 4, verbose: 0, sampleWeight: w);
        var plain = model.Evaluate(x, y, batchSize: 4, verbose: 0);
        Assert.That(weighted["loss"], Is.EqualTo(expected).Within(1e-5));
        Assert.That(weighted["loss"], Is.Not.EqualTo(plain["loss"]).Within(1e-3));
        Assert.That(weighted["accuracy"], Is.EqualTo(plain["accuracy"]), "metrics stay unweighted (Keras's metrics, not weighted_metrics)");
    }

    [Test]
    public void ValidationSplitKeepsTheSampleWeightsOfTheHeldOutRows()
    {
        var x = TestData.Random(40, 4, 4);
        var y = TestData.Labels(40, 3, 5);
        var w = Weights(40, 6);
        var model = Model();
        var history = model.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.25, sampleWeight: w);
        // The last 10 rows were held out; after the last epoch the weights are those its validation used.
        var tail = Enumerable.Range(30, 10).ToArray();
        var expected = model.Evaluate(x.Gather(tail), y.Gather(tail), batchSize: 8, verbose: 0, sampleWeight: w.Gather(tail));
        var unweighted = model.Evaluate(x.Gather(tail), y.Gather(tail), batchSize: 8, verbose: 0);
        Assert.That(history["val_loss"][^1], Is.EqualTo(expected["loss"]).Within(1e-6));
        Assert.That(history["val_loss"][^1], Is.Not.EqualTo(unweighted["loss"]).Within(1e-3));
        Assert.That(history["val_accuracy"][^1], Is.EqualTo(unweighted["accuracy"]).Within(1e-9));
    }

    [Test]
    public void ClassWeightsDoNotWeighTheValidationSplit()
    {
        var x = TestData.Random(40, 4, 7);
        var y = TestData.Labels(40, 3, 8);
        var model = Model();
        var history = model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, validationSplit: 0.25,
            classWeight: new Dictionary<int, double> { [0] = 5, [1] = 0.1 });
        var tail = Enumerable.Range(30, 10).ToArray();
        var unweighted = model.Evaluate(x.Gather(tail), y.Gather(tail), batchSize: 8, verbose: 0);
        Assert.That(history["val_loss"][^1], Is.EqualTo(unweighted["loss"]).Within(1e-6));
    }

    [Test]
    public void ValidationDataIsWeighedByValidationSampleWeight()
    {
        var x = TestData.Random(32, 4, 9);
        var y = TestData.Labels(32, 3, 10);
        var vx = TestData.Random(12, 4, 11);
        var vy = TestData.Labels(12, 3, 12);
        var vw = Weights(12, 13);
        var model = Model();
        var history = model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, validationData: (vx, vy), validationSampleWeight: vw);
        var expected = model.Evaluate(vx, vy, batchSize: 8, verbose: 0, sampleWeight: vw);
        Assert.That(history["val_loss"][^1], Is.EqualTo(expected["loss"]).Within(1e-6));
    }

    [Test]
    public void BadWeightsOutsideTheTrainStepAreClearErrors()
    {
        var x = TestData.Random(8, 4, 14);
        var y = TestData.Labels(8, 3, 15);
        var model = Model();
        var e = Assert.Throws<ArgumentException>(() => model.Evaluate(x, y, verbose: 0, sampleWeight: new Tensor(new float[7], 7)))!;
        Assert.That(e.ParamName, Is.EqualTo("sampleWeight"));
        Assert.That(e.Message, Does.StartWith("Evaluate:").And.Contain("(8,)").And.Contain("Received: (7,)"));
        e = Assert.Throws<ArgumentException>(() => model.Evaluate(x, y, verbose: 0, sampleWeight: new Tensor([1, 1, 1, float.NaN, 1, 1, 1, 1], 8)))!;
        Assert.That(e.Message, Does.Contain("NaN"));
        e = Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, validationSampleWeight: Weights(8, 1)))!;
        Assert.That(e.ParamName, Is.EqualTo("validationSampleWeight"));
        Assert.That(e.Message, Does.Contain("validationData"));
        e = Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, validationData: (x, y), validationSampleWeight: Weights(5, 1)))!;
        Assert.That(e.ParamName, Is.EqualTo("validationSampleWeight"));
    }
}
