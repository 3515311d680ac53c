using SequentialNet.Layers;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Preprocessing;

/// <summary>Normalization: Adapt's float64 statistics, the Keras forward, Adapt after Compile, saving and bad input.</summary>
public class NormalizationTests
{
    [SetUp]
    public void Seed() => Utils.SetRandomSeed(5);

    /// <summary>Values around 1e4 with a spread of about 1: float32 accumulation would lose the variance.</summary>
    private static Tensor Offset(int rows, int features, int seed)
    {
        var r = new Random(seed);
        var data = new float[rows * features];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(1e4 * (1 + i % features) + (r.NextDouble() * 2 - 1) * (0.5 + i % features));
        return new Tensor(data, rows, features);
    }

    private static (double[] Mean, double[] Std) Float64Stats(Tensor x)
    {
        int f = x.Dim(-1), n = x.Length / f;
        var mean = new double[f]; var std = new double[f];
        for (int j = 0; j < f; j++)
        {
            double s = 0; for (int i = 0; i < n; i++) s += x.Data[i * f + j];
            mean[j] = s / n;
            double v = 0; for (int i = 0; i < n; i++) { double d = x.Data[i * f + j] - mean[j]; v += d * d; }
            std[j] = Math.Sqrt(v / n);
        }
        return (mean, std);
    }

    [Test]
    public void AdaptMatchesFloat64MeanAndStandardDeviation()
    {
        var x = Offset(5000, 3, 1);
        var layer = new Normalization();
        layer.Adapt(x);
        var (mean, std) = Float64Stats(x);
        for (int j = 0; j < 3; j++)
        {
            Assert.That(layer.Mean!.ToTensor().Data[j], Is.EqualTo(mean[j]).Within(1e-6).Percent.Or.EqualTo((float)mean[j]), $"mean {j}");
            Assert.That(Math.Sqrt(layer.Variance!.ToTensor().Data[j]), Is.EqualTo(std[j]).Within(1e-6 * std[j] + 1e-7 * std[j]), $"std {j}");
        }
        Assert.That(layer.BuiltInputShape, Is.EqualTo(new[] { 3 }));
    }

    [Test]
    public void AdaptAveragesOverEveryNonFeatureAxis()
    {
        var x = new Tensor([1, 10, 3, 30, 5, 50, 7, 70], 2, 2, 2);
        var layer = new Normalization();
        layer.Adapt(x, batchSize: 1);
        Assert.That(layer.Mean!.ToTensor().Data, Is.EqualTo(new[] { 4f, 40f }));
        Assert.That(layer.Variance!.ToTensor().Data, Is.EqualTo(new[] { 5f, 500f }));
    }

    [Test]
    public void ForwardIsKerasFormulaWithEpsilonFloor()
    {
        var layer = new Normalization(mean: [1.0, 2.0, 0.0], variance: [4.0, 0.0, 1e-20], inputShape: [3]);
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        var y = model.Predict(new Tensor([3f, 2f, 1e-7f, -1f, 2.5f, 0f], 2, 3));
        float[] expected = [1f, 0f, 1f, -1f, (float)(0.5 / 1e-7), 0f];
        for (int i = 0; i < 6; i++) Assert.That(y.Data[i], Is.EqualTo(expected[i]).Within(1e-4 * Math.Max(1, Math.Abs(expected[i]))), $"element {i}");
    }

    [Test]
    public void AdaptAfterCompileIsUsedByTheNextPredict()
    {
        var layer = new Normalization(inputShape: [3]);
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        var x = Offset(200, 3, 2);
        Assert.That(model.Predict(x).Data[0], Is.EqualTo(x.Data[0]).Within(1e-2));   // zeros/ones: identity
        layer.Adapt(x);
        var y = model.Predict(x);
        var (mean, std) = Float64Stats(y);
        for (int j = 0; j < 3; j++)
        {
            Assert.That(mean[j], Is.EqualTo(0).Within(1e-3));
            Assert.That(std[j], Is.EqualTo(1).Within(1e-3));
        }
        Assert.That(model.GetWeights()[0].Data, Is.EqualTo(layer.Mean!.ToTensor().Data));
    }

    [Test]
    public void ModelWithNormalizationFirstTrainsOnUnscaledData()
    {
        var x = Offset(256, 3, 3);
        var y = new float[256];
        for (int i = 0; i < 256; i++) y[i] = (x.Data[i * 3] - 1e4f) - 0.5f * (x.Data[i * 3 + 2] - 3e4f) / 2.5f;
        var target = new Tensor(y, 256, 1);
        var norm = new Normalization(inputShape: [3]);
        norm.Adapt(x);
        using var model = new Sequential(norm, new Dense(16, activation: "relu"), new Dense(1));
        model.Compile(optimizer: new SequentialNet.Optimizers.Adam(0.01), loss: "mse");
        var history = model.Fit(x, target, epochs: 30, batchSize: 32, verbose: 0);
        var losses = history["loss"];
        Assert.That(losses[^1], Is.LessThan(0.1 * losses[0]));
        Assert.That(losses[^1], Is.LessThan(0.05));
        Assert.That(norm.Mean!.ToTensor().Data[0], Is.EqualTo(Float64Stats(x).Mean[0]).Within(1e-3), "training leaves the statistics alone");
    }

    [Test]
    public void SaveAndLoadKeepAdaptedStatistics()
    {
        string folder = NewFolder();
        try
        {
            var norm = new Normalization(inputShape: [3]);
            using var model = new Sequential(norm, new Dense(2));
            norm.Adapt(Offset(100, 3, 4));
            model.Compile(optimizer: "adam", loss: "mse");
            string path = Path.Combine(folder, "n.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            AssertSameModel(model, loaded);
            var n2 = (Normalization)loaded.Layers[0];
            Assert.That(n2.Mean!.ToTensor().Data, Is.EqualTo(norm.Mean!.ToTensor().Data));
            Assert.That(n2.Variance!.ToTensor().Data, Is.EqualTo(norm.Variance!.ToTensor().Data));
            Assert.That(n2.Mean.Trainable, Is.False);
            var x = Offset(10, 3, 5);
            Assert.That(loaded.Predict(x).Data, Is.EqualTo(model.Predict(x).Data));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Test]
    public void ConstructorStatisticsRoundTrip()
    {
        string folder = NewFolder();
        try
        {
            using var model = new Sequential(new Normalization(mean: [2.0], variance: [9.0], inputShape: [2]));
            model.Build([2]);
            string path = Path.Combine(folder, "c.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            AssertSameModel(model, loaded);
            Assert.That(((Normalization)loaded.Layers[0]).Variance!.ToTensor().Data, Is.EqualTo(new[] { 9f, 9f }));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Test]
    public void AdaptOnEmptyDataIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => new Normalization().Adapt(new Tensor([], 0, 3)));
        Assert.That(e!.Message, Does.Contain("expected at least one sample"));
    }

    [Test]
    public void AdaptOnNaNIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => new Normalization().Adapt(new Tensor([1, float.NaN, 2, 3], 2, 2)));
        Assert.That(e!.Message, Does.Contain("NaN"));
    }

    [Test]
    public void AdaptWithOtherFeatureCountIsAClearError()
    {
        var layer = new Normalization(inputShape: [3]);
        using var model = new Sequential(layer, new Dense(1));
        model.Build([3]);
        var e = Assert.Throws<ArgumentException>(() => layer.Adapt(new Tensor(new float[8], 2, 4)));
        Assert.That(e!.Message, Does.Contain("was built for 3 features"));
    }

    [Test]
    public void OtherBadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new Normalization().Adapt(new Tensor([1, 2, 3], 3)));
        Assert.Throws<ArgumentException>(() => new Normalization().Adapt(new Tensor([1, 2], 1, 2), batchSize: 0));
        Assert.Throws<ArgumentException>(() => _ = new Normalization(mean: [1.0]));
        Assert.Throws<ArgumentException>(() => _ = new Normalization(mean: [1.0], variance: [-1.0]));
        Assert.Throws<ArgumentException>(() => _ = new Normalization(axis: 0));
        Assert.Throws<InvalidOperationException>(() => new Normalization(mean: [1.0], variance: [1.0]).Adapt(new Tensor([1, 2], 1, 2)));
        var e = Assert.Throws<ArgumentException>(() => new Normalization(axis: 1).Build([2, 3]));
        Assert.That(e!.Message, Does.Contain("supports only the last axis"));
        Assert.DoesNotThrow(() => new Normalization(axis: 2).Build([2, 3]));
    }
}
