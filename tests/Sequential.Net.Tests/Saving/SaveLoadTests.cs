using SequentialNet.Layers;
using SequentialNet.Optimizers;
using SequentialNet.Saving;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Saving;

/// <summary>Model.Save / Model.Load and the weights, config and JSON round trips.</summary>
public class SaveLoadTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() { Utils.SetRandomSeed(31); _folder = NewFolder(); }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void LoadedModelPredictsBitwiseTheSameAndKeepsItsCompileConfig()
    {
        var (x, y) = Data();
        using var model = DropoutMlp();
        model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);
        string path = Path.Combine(_folder, "model.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        AssertBitwise(model.Predict(x).Data, loaded.Predict(x).Data, "predictions");
        Assert.That(loaded, Is.InstanceOf<Sequential>());
        Assert.That(loaded.Name, Is.EqualTo(model.Name));
        Assert.That(loaded.Layers.Select(l => l.Name), Is.EqualTo(model.Layers.Select(l => l.Name)));
        Assert.That(loaded.Optimizer, Is.InstanceOf<Adam>());
        Assert.That(loaded.Optimizer!.LearningRate, Is.EqualTo(0.01));
        Assert.That(loaded.Optimizer.Iterations, Is.EqualTo(model.Optimizer!.Iterations).And.EqualTo(12));
        Assert.That(loaded.Loss!.Name, Is.EqualTo("sparse_categorical_crossentropy"));
        Assert.That(loaded.CompiledMetrics.Select(m => m.Name), Is.EqualTo(new[] { "accuracy" }));
        Assert.That(loaded.Evaluate(x, y, verbose: 0), Is.EqualTo(model.Evaluate(x, y, verbose: 0)));
        AssertSameModel(model, loaded);
    }

    [Test]
    public void TheArchiveHoldsTheDocumentedEntries()
    {
        using var model = DropoutMlp();
        string path = Path.Combine(_folder, "m.snet");
        model.Save(path);
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        Assert.That(zip.Entries.Select(e => e.FullName), Is.EquivalentTo(new[]
            { "metadata.json", "config.json", "weights.json", "weights.bin", "optimizer.json", "optimizer.bin" }));
        using var reader = new Newtonsoft.Json.JsonTextReader(new StreamReader(zip.GetEntry("metadata.json")!.Open())) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        var metadata = Newtonsoft.Json.Linq.JObject.Load(reader);
        Assert.That((string?)metadata["format"], Is.EqualTo("sequential-net"));
        Assert.That((int?)metadata["format_version"], Is.EqualTo(1));
        Assert.That((string?)metadata["library_version"], Does.Match(@"^\d+\.\d+\.\d+"));
        Assert.That((string?)metadata["date_saved"], Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        Assert.That(zip.GetEntry("weights.bin")!.Length, Is.EqualTo(model.CountParams() * 4L));
        Assert.That(zip.GetEntry("optimizer.bin")!.Length, Is.EqualTo(2 * model.CountParams() * 4L));
    }

    [Test]
    public void SaveOverwritesAtomicallyAndLeavesNoTemporaryFile()
    {
        using var model = DropoutMlp();
        string path = Path.Combine(_folder, "sub", "dir", "m.snet");    // folders are created
        model.Save(path);
        model.SetWeights(model.GetWeights().Select(w => new Tensor(w.Data.Select(v => v + 1).ToArray(), w.Shape)).ToArray());
        model.Save(path);
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }));
        using var loaded = Model.Load(path);
        AssertSameModel(model, loaded);
    }

    [Test]
    public void AnUncompiledUnbuiltModelRoundTripsItsArchitecture()
    {
        using var model = new Sequential(new Dense(4, activation: "tanh"), new Dropout(0.1), new Dense(2));
        string path = Path.Combine(_folder, "unbuilt.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        Assert.That(loaded.IsCompiled, Is.False);
        Assert.That(loaded.Weights, Is.Empty);
        Assert.That(loaded.ToJson(), Is.EqualTo(model.ToJson()));
    }

    [Test]
    public void LoadWithoutCompileGivesTheWeightsAndNoOptimizer()
    {
        var (x, y) = Data();
        using var model = DropoutMlp();
        model.Fit(x, y, epochs: 1, verbose: 0);
        string path = Path.Combine(_folder, "m.snet");
        model.Save(path);
        using var loaded = Model.Load(path, compile: false);
        Assert.That(loaded.IsCompiled, Is.False);
        var expected = model.GetWeights();
        var actual = loaded.GetWeights();
        for (int i = 0; i < expected.Length; i++) AssertBitwise(expected[i].Data, actual[i].Data, $"weight {i}");
    }

    [Test]
    public void SgdMomentumStateAndFrozenLayersRoundTrip()
    {
        var (x, y) = Data();
        using var model = new Sequential(new Dense(8, activation: "sigmoid", inputShape: [6]), new Dense(3, activation: "softmax"));
        model.Layers[0].Trainable = false;
        model.Compile(optimizer: new SGD(learningRate: 0.05, momentum: 0.9, nesterov: true), loss: "sparse_categorical_crossentropy");
        model.Fit(x, y, epochs: 2, batchSize: 10, verbose: 0);
        string path = Path.Combine(_folder, "sgd.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        Assert.That(loaded.Layers[0].Trainable, Is.False);
        Assert.That(loaded.Optimizer, Is.InstanceOf<SGD>().With.Property("Nesterov").True.And.Property("Momentum").EqualTo(0.9));
        AssertSameModel(model, loaded);
        var more1 = model.Fit(x, y, epochs: 4, initialEpoch: 2, verbose: 0)["loss"];
        var more2 = loaded.Fit(x, y, epochs: 4, initialEpoch: 2, verbose: 0)["loss"];
        Assert.That(more2, Is.EqualTo(more1));
    }

    [Test]
    public void SaveWeightsAndLoadWeightsMatchByOrderAndShape()
    {
        var (x, _) = Data();
        using var model = DropoutMlp();
        string path = Path.Combine(_folder, "w.weights.snet");
        model.SaveWeights(path);
        using var other = DropoutMlp();   // same architecture, other names (dense_3 …) and other initial weights
        Assert.That(other.Weights[0].Name, Is.Not.EqualTo(model.Weights[0].Name));
        other.LoadWeights(path);
        AssertBitwise(model.Predict(x).Data, other.Predict(x).Data, "predictions");
        var ex = Assert.Throws<ModelFormatException>(() => Model.Load(path))!;
        Assert.That(ex.Message, Does.Contain("LoadWeights").And.Contain(path));
    }

    [Test]
    public void LoadWeightsIntoAnotherArchitectureNamesTheWeightAndChangesNothing()
    {
        using var model = DropoutMlp();
        string path = Path.Combine(_folder, "w.snet");
        model.SaveWeights(path);
        using var other = DropoutMlp(hidden: 12);
        var before = other.GetWeights();
        var ex = Assert.Throws<ModelFormatException>(() => other.LoadWeights(path))!;
        Assert.That(ex.Message, Does.Contain(path).And.Contain("expected").And.Contain("(6, 12)").And.Contain("(6, 16)"));
        for (int i = 0; i < before.Length; i++) AssertBitwise(before[i].Data, other.GetWeights()[i].Data, $"weight {i}");
        using var unbuilt = new Sequential(new Dense(3));
        Assert.Throws<InvalidOperationException>(() => unbuilt.LoadWeights(path));
    }

    [Test]
    public void GetWeightsAndSetWeightsFollowKerasOrder()
    {
        using var model = new Sequential(new Dense(3, inputShape: [2], name: "a"), new Dense(1, useBias: false, name: "b"));
        model.Build([2]);
        Assert.That(model.Weights.Select(w => w.Name), Is.EqualTo(new[] { "a/kernel", "a/bias", "b/kernel" }));
        Assert.That(model.GetWeights().Select(w => Tensor.FormatShape(w.Shape)), Is.EqualTo(new[] { "(2, 3)", "(3,)", "(3, 1)" }));
    }

    [Test]
    public void ToJsonFromJsonAndGetConfigFromConfigRebuildTheArchitecture()
    {
        using var model = new Sequential(
            new Reshape([2, 3], inputShape: [6]), new Flatten(), new Dense(5, kernelInitializer: new Initializers.RandomNormal(0.1, 0.5), biasInitializer: new Initializers.Constant(0.25f)),
            new LeakyReLU(0.3f), new Activation(Activations.LeakyRelu(0.05f)), new ReLU(), new Dense(2), new Softmax());
        using var unbuilt = Model.FromJson(model.ToJson());
        Assert.That(unbuilt.InputShape, Is.EqualTo(new[] { 6 }));
        Assert.That(unbuilt.OutputShape, Is.EqualTo(new[] { 2 }), "a first layer with inputShape builds the model at once, as Keras does");
        model.Build([6]);
        string json = model.ToJson();
        using var fromJson = Model.FromJson(json);
        Assert.That(fromJson.ToJson(), Is.EqualTo(json));
        Assert.That(fromJson.IsCompiled, Is.False);
        Assert.That(fromJson.OutputShape, Is.EqualTo(new[] { 2 }));
        Assert.That(fromJson.Weights[1].ToTensor().Data, Is.All.EqualTo(0.25f));
        using var fromConfig = Model.FromConfig(model.GetConfig());
        Assert.That(fromConfig.ToJson(), Is.EqualTo(json));
        Assert.That(model.GetConfig()["layers"], Is.InstanceOf<object?[]>().With.Length.EqualTo(8));
        var bad = Assert.Throws<ModelFormatException>(() => Model.FromJson("{\"class_name\": \"Sequential\", \"config\": {\"name\": \"x\"}}"))!;
        Assert.That(bad.Message, Does.Contain("layers"));
    }

    [Test]
    public void LoadingDrawsNothingFromTheRandomStreams()
    {
        using var model = DropoutMlp();
        string path = Path.Combine(_folder, "m.snet");
        model.Save(path);
        Utils.SetRandomSeed(77);
        using var before = DropoutMlp();
        Utils.SetRandomSeed(77);
        Model.Load(path).Dispose();
        using var after = DropoutMlp();
        AssertBitwise(before.GetWeights()[0].Data, after.GetWeights()[0].Data, "a model made after a load");
    }

    [Test]
    public void UnknownJsonFieldsAndEntriesAreIgnored()
    {
        using var model = DropoutMlp();
        string path = Path.Combine(_folder, "m.snet");
        model.Save(path);
        ZipEdit.Json(path, "config.json", j => { j["future_field"] = 1; j["config"]!["layers"]![0]!["config"]!["dtype"] = "float32"; });
        ZipEdit.Json(path, "metadata.json", j => j["producer"] = "some other tool");
        ZipEdit.Json(path, "weights.json", j => j["tensors"]![0]!["comment"] = "hi");
        ZipEdit.Add(path, "assets/notes.txt", "extra entry");
        using var loaded = Model.Load(path);
        AssertSameModel(model, loaded);
    }
}
