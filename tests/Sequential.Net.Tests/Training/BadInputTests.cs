using SequentialNet.Layers;

namespace SequentialNet.Tests.Training;

/// <summary>Bad input fails at once with a message naming the argument or layer, what was expected and what was received.</summary>
public class BadInputTests
{
    private static Sequential Compiled(string loss = "sparse_categorical_crossentropy", int outputs = 3)
    {
        var model = new Sequential(new Dense(outputs, activation: "softmax", inputShape: [4]));
        model.Compile(optimizer: "adam", loss: loss, metrics: ["accuracy"]);
        return model;
    }

    private static Tensor X(int n = 10) => TestData.Random(n, 4, 1);
    private static Tensor Y(int n = 10) => TestData.Labels(n, 3, 2);

    [Test]
    public void RowCountsDiffer() => Assert.That(() => Compiled().Fit(X(10), Y(9), verbose: 0),
        Throws.ArgumentException.With.Message.Contains("same number of samples").And.Message.Contains("10").And.Message.Contains("9"));

    [Test]
    public void InputShapeMismatch() => Assert.That(() => Compiled().Fit(TestData.Random(10, 5, 1), Y(), verbose: 0),
        Throws.ArgumentException.With.Message.Contains("expected input shape (None, 4)").And.Message.Contains("(10, 5)"));

    [Test]
    public void InputShapeSameSizeSuggestsReshape() => Assert.That(() => Compiled().Predict(new Tensor(new float[40], 10, 2, 2)),
        Throws.ArgumentException.With.Message.Contains("Reshape"));

    [Test]
    public void NaNInX()
    {
        var x = X(); x.Data[13] = float.NaN;
        Assert.That(() => Compiled().Fit(x, Y(), verbose: 0), Throws.ArgumentException.With.Message.Contains("finite").And.Message.Contains("sample 3"));
    }

    [Test]
    public void InfInY()
    {
        var y = TestData.Random(10, 1, 3); y.Data[2] = float.PositiveInfinity;
        var model = new Sequential(new Dense(1, inputShape: [4]));
        model.Compile(optimizer: "sgd", loss: "mse");
        Assert.That(() => model.Fit(X(), y, verbose: 0), Throws.ArgumentException.With.Message.Contains("finite").And.Message.Contains("y"));
    }

    [Test]
    public void SparseLabelOutOfRange()
    {
        var y = Y(); y.Data[4] = 3;
        Assert.That(() => Compiled().Fit(X(), y, verbose: 0), Throws.ArgumentException.With.Message.Contains("[0, 2]").And.Message.Contains("Received: 3"));
    }

    [Test]
    public void SparseLabelNotInteger()
    {
        var y = Y(); y.Data[0] = 1.5f;
        Assert.That(() => Compiled().Fit(X(), y, verbose: 0), Throws.ArgumentException.With.Message.Contains("integer labels").And.Message.Contains("1.5"));
    }

    [Test]
    public void OneHotWidthDiffersFromOutput() => Assert.That(
        () => Compiled("categorical_crossentropy").Fit(X(), Utils.ToCategorical(TestData.Labels(10, 4, 1), 4), verbose: 0),
        Throws.ArgumentException.With.Message.Contains("(N, 3)").And.Message.Contains("(10, 4)"));

    [TestCase("relu6x")]
    public void UnknownActivation(string name) => Assert.That(() => new Dense(3, activation: name),
        Throws.ArgumentException.With.Message.Contains(name).And.Message.Contains("relu").And.Message.Contains("sigmoid"));

    [Test]
    public void UnknownLoss() => Assert.That(() => new Sequential(new Dense(1, inputShape: [1])).Compile(optimizer: "adam", loss: "crossentropy"),
        Throws.ArgumentException.With.Message.Contains("Unknown loss").And.Message.Contains("sparse_categorical_crossentropy"));

    [Test]
    public void UnknownOptimizer() => Assert.That(() => new Sequential(new Dense(1, inputShape: [1])).Compile(optimizer: "adamm", loss: "mse"),
        Throws.ArgumentException.With.Message.Contains("Unknown optimizer").And.Message.Contains("adam"));

    [Test]
    public void UnknownMetric() => Assert.That(() => new Sequential(new Dense(1, inputShape: [1])).Compile(optimizer: "adam", loss: "mse", metrics: ["acuracy"]),
        Throws.ArgumentException.With.Message.Contains("Unknown metric").And.Message.Contains("accuracy"));

    [Test]
    public void FitEvaluatePredictBeforeCompile()
    {
        var model = new Sequential(new Dense(3, inputShape: [4]));
        Assert.That(() => model.Fit(X(), Y()), Throws.InvalidOperationException.With.Message.Contains("Compile() before Fit()"));
        Assert.That(() => model.Evaluate(X(), Y()), Throws.InvalidOperationException.With.Message.Contains("Compile() before Evaluate()"));
        Assert.That(() => model.Predict(X()), Throws.InvalidOperationException.With.Message.Contains("Compile() before Predict()"));
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void BatchSizeNotPositive(int batchSize)
    {
        Assert.That(() => Compiled().Fit(X(), Y(), batchSize: batchSize, verbose: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("batchSize > 0"));
        Assert.That(() => Compiled().Predict(X(), batchSize: batchSize), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(-0.1)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void ValidationSplitOutOfRange(double split) => Assert.That(() => Compiled().Fit(X(), Y(), validationSplit: split, verbose: 0),
        Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("0 <= validationSplit < 1"));

    [Test]
    public void EmptyData() => Assert.That(() => Compiled().Fit(new Tensor([], 0, 4), new Tensor([], 0), verbose: 0),
        Throws.ArgumentException.With.Message.Contains("at least one sample"));

    [Test]
    public void BadLayerArguments()
    {
        Assert.That(() => new Dense(0), Throws.ArgumentException.With.Message.Contains("units > 0"));
        Assert.That(() => new Dropout(1.0), Throws.ArgumentException.With.Message.Contains("0 <= rate < 1"));
    }

    [Test]
    public void BadDataDoesNotLoseTraining()
    {
        // A failed call must leave the model as it was: same weights, still trainable.
        var model = Compiled();
        model.Fit(X(), Y(), epochs: 2, verbose: 0);
        var before = model.GetWeights()[0].ToArray();
        var bad = X(); bad.Data[0] = float.NaN;
        Assert.Throws<ArgumentException>(() => model.Fit(bad, Y(), verbose: 0));
        Assert.That(model.GetWeights()[0].Data, Is.EqualTo(before));
        Assert.That(() => model.Fit(X(), Y(), verbose: 0), Throws.Nothing);
    }
}
