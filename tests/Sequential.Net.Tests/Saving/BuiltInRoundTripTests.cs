using SequentialNet.Layers;
using SequentialNet.Losses;
using CosineSimilarity = SequentialNet.Metrics.CosineSimilarity;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;
using SequentialNet.Saving;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Saving;

/// <summary>Every built-in layer, activation, loss, optimizer and metric comes back from a file with the same config.</summary>
public class BuiltInRoundTripTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() { Utils.SetRandomSeed(4); _folder = NewFolder(); }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private static IEnumerable<TestCaseData> Compilations()
    {
        yield return new TestCaseData(new SGD(0.1, 0.5, nesterov: true), new Losses.MeanSquaredError(), new Metric[] { new SequentialNet.Metrics.MeanAbsoluteError() }).SetName("SGD nesterov, mse, mae");
        yield return new TestCaseData(new SGD(0.3), new Huber(2f), Array.Empty<Metric>()).SetName("plain SGD, huber(2)");
        yield return new TestCaseData(new SGD(0.1), new Losses.MeanSquaredError(), new Metric[] { new SequentialNet.Metrics.MeanSquaredError(), new RootMeanSquaredError(), new SequentialNet.Metrics.MeanAbsolutePercentageError(), new SequentialNet.Metrics.MeanSquaredLogarithmicError(), new CosineSimilarity(), new LogCoshError() }).SetName("regression metrics");
        yield return new TestCaseData(new Adam(), new CategoricalCrossentropy(), new Metric[] { new MeanIoU(3, ignoreClass: 1, sparseYTrue: false, sparseYPred: false) }).SetName("mean IoU");
        yield return new TestCaseData(new Adam(0.02, 0.8, 0.99, 1e-6), new BinaryCrossentropy(fromLogits: true), new Metric[] { new BinaryAccuracy(0.7f) }).SetName("Adam, bce from logits, binary accuracy 0.7");
        yield return new TestCaseData(new Adam(), new CategoricalCrossentropy(labelSmoothing: 0.1f), new Metric[] { new CategoricalAccuracy(), "accuracy" }).SetName("cce smoothing, categorical accuracy");
        yield return new TestCaseData(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true), new Metric[] { new SparseCategoricalAccuracy() }).SetName("scce logits, sparse accuracy");
        yield return new TestCaseData(new Adam(), new Losses.MeanAbsoluteError(), Array.Empty<Metric>()).SetName("mae loss");
        yield return new TestCaseData(new Adam(), new CategoricalCrossentropy(), new Metric[] { new TopKCategoricalAccuracy(2), new Precision(0.4f), new Recall(0.6f), new AUC(50, summationMethod: "minoring") }).SetName("top-k, precision, recall, auc");
        yield return new TestCaseData(new Adam(), new SparseCategoricalCrossentropy(), new Metric[] { new SparseTopKCategoricalAccuracy(2) }).SetName("sparse top-k");
    }

    [TestCaseSource(nameof(Compilations))]
    public void CompileConfigurationsRoundTrip(Optimizer optimizer, Loss loss, Metric[] metrics)
    {
        using var model = new Sequential(new Dense(4, inputShape: [3]), new Dense(3, activation: "softmax"));
        model.Compile(optimizer, loss, metrics);
        string path = Path.Combine(_folder, "m.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        Assert.That(loaded.Optimizer!.GetType(), Is.EqualTo(optimizer.GetType()));
        Assert.That(loaded.Loss!.GetType(), Is.EqualTo(loss.GetType()));
        Assert.That(loaded.CompiledMetrics.Select(m => m.GetType()), Is.EqualTo(metrics.Select(m => m.GetType())));
        Assert.That(loaded.CompiledMetrics.Select(m => m.GetConfig()), Is.EqualTo(metrics.Select(m => m.GetConfig())));
        AssertSameModel(model, loaded);
    }

    [Test]
    public void EveryActivationAndLayerRoundTrips()
    {
        var layers = Activations.Names.Select(name => (Layer)new Dense(3, activation: name)).ToList();
        layers.Insert(0, new Reshape([2, 4], inputShape: [8]));
        layers.AddRange([new Flatten(), new Dense(6, activation: Activations.LeakyRelu(0.3f), useBias: false, kernelInitializer: "he_normal"),
            new Activation("tanh"), new LeakyReLU(), new ReLU(), new Softmax(), new Dropout(0.5)]);
        using var model = new Sequential(layers, "all_layers");
        model.Build([8]);
        string path = Path.Combine(_folder, "all.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        AssertSameModel(model, loaded);
        Assert.That(LayerRegistry.BuiltInNames, Is.SupersetOf(new[] { "Activation", "Dense", "Dropout", "Flatten", "LeakyReLU", "ReLU", "Reshape", "Softmax" }));
    }
}
