using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using SequentialNet.Saving;

namespace SequentialNet.Tests.Api;

/// <summary>
/// Custom layers through the public API (<see cref="Layer.Call(SymbolicTensor, bool)"/>,
/// <see cref="SymbolicTensor"/>): they train, every weight receives gradients, they round-trip through
/// Save/Load once registered, and mistakes give Keras-style messages.
/// </summary>
public class CustomLayerApiTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        Utils.SetRandomSeed(5);
        _folder = Path.Combine(Path.GetTempPath(), "sequential-net-custom-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private static (Tensor X, Tensor Y) Digits300()
    {
        var ((x, y), _) = Digits.LoadData();
        return (x.Reshape(-1, 64).Rows(0, 300) / 16f, y.Rows(0, 300));
    }

    private static Sequential Model(params Layer[] middle)
    {
        var model = new Sequential([new ScaledDense(32, activation: "relu", initialGain: 0.8f, inputShape: [64]), .. middle, new Dense(10, activation: "softmax")]);
        model.Compile(optimizer: new Adam(learningRate: 0.01), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        return model;
    }

    [Test]
    public void ACustomLayerTrainsAndEveryWeightMoves()
    {
        var (x, y) = Digits300();
        using var model = Model(new HalfSwish(), new LowRankDense(16, rank: 4));
        var before = model.GetWeights().Select(w => (float[])w.Data.Clone()).ToArray();
        var history = model.Fit(x, y, epochs: 4, batchSize: 32, verbose: 0);
        var losses = history["loss"];
        Assert.That(losses[^1], Is.LessThan(losses[0] * 0.8), string.Join(", ", losses));
        var after = model.GetWeights();
        string[] names = [.. model.Weights.Select(w => w.Name)];
        Assert.That(names, Has.Some.EndsWith("/gain").And.Some.EndsWith("/u").And.Some.EndsWith("/v"));
        for (int w = 0; w < after.Length; w++)
            Assert.That(after[w].Data, Is.Not.EqualTo(before[w]), $"{names[w]} received no gradient");
    }

    [Test]
    public void ACustomLayerRoundTripsThroughSaveAndLoad()
    {
        LayerRegistry.Register<ScaledDense>();
        LayerRegistry.Register<HalfSwish>();
        LayerRegistry.Register<LowRankDense>();
        var (x, y) = Digits300();
        using var model = Model(new HalfSwish(), new LowRankDense(16, rank: 4));
        model.Fit(x, y, epochs: 2, verbose: 0);
        string path = Path.Combine(_folder, "custom.snet");
        model.Save(path);
        using var loaded = SequentialNet.Model.Load(path);
        var layer = (ScaledDense)loaded.Layers[0];
        Assert.That((layer.Units, layer.Activation.Name, layer.InitialGain), Is.EqualTo((32, "relu", 0.8f)));
        Assert.That(loaded.ToJson(), Does.Contain("\"registered_name\": \"Custom>ScaledDense\""));
        Saving.SavingFixtures.AssertSameModel(model, loaded);
        Saving.SavingFixtures.AssertBitwise(model.Predict(x).Data, loaded.Predict(x).Data, "predictions");
    }

    [Test]
    public void AnActivationWithArgumentsIsSavedInACustomConfig()
    {
        LayerRegistry.Register<ScaledDense>();
        using var model = new Sequential(new ScaledDense(3, activation: Activations.LeakyRelu(0.2f), inputShape: [4]));
        model.Compile(optimizer: "sgd", loss: "mse");
        string path = Path.Combine(_folder, "leaky.snet");
        model.Save(path);
        using var loaded = SequentialNet.Model.Load(path);
        Assert.That(loaded.ToJson(), Does.Contain("\"negative_slope\": 0.2"));
    }

    [Test]
    public void ALayerWithoutCallSaysItMustOverrideIt()
    {
        var model = new Sequential(new Dense(4, inputShape: [3]), new NoCall(name: "nocall"));
        var ex = Assert.Throws<InvalidOperationException>(() => model.Compile(optimizer: "adam", loss: "mse"))!;
        Assert.That(ex.Message, Does.Contain("Layer \"nocall\" (NoCall) must override Call(SymbolicTensor inputs, bool training)"));
    }

    [Test]
    public void AnOutputOfAnotherShapeThanDeclaredIsRefused()
    {
        var model = new Sequential(new Dense(4, inputShape: [3]), new WrongShape(name: "wrong"));
        var ex = Assert.Throws<InvalidOperationException>(() => model.Compile(optimizer: "adam", loss: "mse"))!;
        Assert.That(ex.Message, Does.Contain("Layer \"wrong\" (WrongShape)").And.Contain("ComputeOutputShape says (4,)"));
    }
}
