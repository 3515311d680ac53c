using SequentialNet.Graph;
using SequentialNet.Initializers;
using SequentialNet.Layers;
using SequentialNet.Saving;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Saving;

/// <summary>A user layer: y = scale·x + shift, with a trainable shift started at a configured value.</summary>
internal sealed class ShiftScale(float scale = 1f, float initialShift = 0f, string mode = "plain", int[]? inputShape = null, string? name = null)
    : Layer(name, inputShape)
{
    public float Scale { get; } = scale;
    public float InitialShift { get; } = initialShift;
    public string Mode { get; } = mode;
    private Variable? _shift;

    protected override void BuildCore(int[] inputShape) => _shift = AddWeight("shift", [inputShape[^1]], new Constant(InitialShift));
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;
    internal override Node Call(LayerContext ctx, Node x) => ctx.Graph.BiasAdd(ctx.Graph.Scale(x, Scale), ctx.Param(_shift!));

    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["scale"] = Scale; config["initial_shift"] = InitialShift; config["mode"] = Mode;
        return config;
    }
}

/// <summary>A user layer whose constructor cannot be called from a config: it needs a factory.</summary>
internal sealed class Lookup(IReadOnlyDictionary<string, float> table, string? name = null) : Layer(name)
{
    public IReadOnlyDictionary<string, float> Table { get; } = table;
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;
    internal override Node Call(LayerContext ctx, Node x) => ctx.Graph.Scale(x, Table["factor"]);
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["factor"] = Table["factor"];
        return config;
    }
}

/// <summary>Keras's registered_name: user layers round-trip once registered, and an unknown class says how to register it.</summary>
public class CustomLayerTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() { Utils.SetRandomSeed(8); _folder = NewFolder(); }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private static Sequential ModelWith(Layer custom)
    {
        var model = new Sequential(new Dense(4, inputShape: [6]), custom, new Dense(3, activation: "softmax"));
        model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy");
        return model;
    }

    [Test]
    public void ARegisteredLayerRoundTripsThroughSaveAndLoad()
    {
        Assert.That(LayerRegistry.Register<ShiftScale>(), Is.EqualTo("Custom>ShiftScale"));
        Assert.That(LayerRegistry.Register<ShiftScale>(), Is.EqualTo("Custom>ShiftScale"), "registering twice is harmless");
        var (x, y) = Data();
        using var model = ModelWith(new ShiftScale(scale: 0.5f, initialShift: 0.25f, mode: "fancy", name: "shift"));
        model.Fit(x, y, epochs: 2, verbose: 0);
        string path = Path.Combine(_folder, "custom.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        var layer = loaded.Layers[1] as ShiftScale;
        Assert.That(layer, Is.Not.Null);
        Assert.That((layer!.Scale, layer.InitialShift, layer.Mode), Is.EqualTo((0.5f, 0.25f, "fancy")));
        Assert.That(loaded.ToJson(), Does.Contain("\"registered_name\": \"Custom>ShiftScale\""));
        AssertSameModel(model, loaded);
        AssertBitwise(model.Predict(x).Data, loaded.Predict(x).Data, "predictions");
    }

    [Test]
    public void ALayerWithAFactoryRoundTrips()
    {
        Assert.Throws<ArgumentException>(() => LayerRegistry.Register<Lookup>("Tests>Lookup"));
        LayerRegistry.Register<Lookup>("Tests>Lookup", config =>
            new Lookup(new Dictionary<string, float> { ["factor"] = Convert.ToSingle(config["factor"]) }, (string?)config["name"]));
        using var model = ModelWith(new Lookup(new Dictionary<string, float> { ["factor"] = 3f }));
        string path = Path.Combine(_folder, "lookup.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        Assert.That(((Lookup)loaded.Layers[1]).Table["factor"], Is.EqualTo(3f));
        AssertSameModel(model, loaded);
    }

    [Test]
    public void AnUnknownClassNameSaysWhichAndHowToRegisterIt()
    {
        LayerRegistry.Register<ShiftScale>();
        using var model = ModelWith(new ShiftScale(name: "shift"));
        string path = Path.Combine(_folder, "custom.snet");
        model.Save(path);
        ZipEdit.Json(path, "config.json", j =>
        {
            j["config"]!["layers"]![1]!["class_name"] = "Wobble";
            j["config"]!["layers"]![1]!["registered_name"] = "MyPackage>Wobble";
        });
        var ex = Assert.Throws<ModelFormatException>(() => Model.Load(path))!;
        Assert.That(ex.Message, Does.Contain(path).And.Contain("layers[1]").And.Contain("unknown layer class \"Wobble\" (registered name \"MyPackage>Wobble\")")
            .And.Contain("LayerRegistry.Register<Wobble>(\"MyPackage>Wobble\")").And.Contain("Dense"));
    }

    [Test]
    public void SavingAnUnregisteredLayerFailsAtOnceAndSaysHowToRegisterIt()
    {
        using var model = ModelWith(new Unregistered());
        string path = Path.Combine(_folder, "x.snet");
        var ex = Assert.Throws<InvalidOperationException>(() => model.Save(path))!;
        Assert.That(ex.Message, Does.Contain("Unregistered").And.Contain("LayerRegistry.Register<Unregistered>()"));
        Assert.That(File.Exists(path), Is.False);
        model.SaveWeights(path);   // weights alone need no registration
    }

    [Test]
    public void ALayerWhoseConstructorDoesNotTakeItsConfigIsRefusedAtSaveTime()
    {
        LayerRegistry.Register<Forgetful>();
        using var model = ModelWith(new Forgetful(7));
        var ex = Assert.Throws<InvalidOperationException>(() => model.Save(Path.Combine(_folder, "f.snet")))!;
        Assert.That(ex.Message, Does.Contain("does not rebuild the same").And.Contain("\"size\":7").And.Contain("\"size\":1"));
    }

    public sealed class Unregistered() : Layer(null)
    {
        public override int[] ComputeOutputShape(int[] inputShape) => inputShape;
        internal override Node Call(LayerContext ctx, Node x) => x;
    }

    /// <summary>Writes "size" but its constructor calls the parameter "width": it would load with the default.</summary>
    public sealed class Forgetful(int width = 1) : Layer(null)
    {
        public override int[] ComputeOutputShape(int[] inputShape) => inputShape;
        internal override Node Call(LayerContext ctx, Node x) => x;
        public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["size"] = width; return c; }
    }
}
