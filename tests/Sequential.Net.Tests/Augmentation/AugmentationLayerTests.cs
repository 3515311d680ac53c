using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Layers;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Augmentation;

/// <summary>The augmentation layers: active only in training, the identity in Predict, Keras errors, Save/Load.</summary>
public class AugmentationLayerTests
{
    [SetUp]
    public void Seed() => Utils.SetRandomSeed(5);

    private static IEnumerable<TestCaseData> Layers()
    {
        yield return new TestCaseData(new Func<ImageAugmentation>(() => new RandomFlip())).SetName("flip");
        yield return new TestCaseData(new Func<ImageAugmentation>(() => new RandomRotation([0.2], fillMode: "constant", fillValue: 0.5))).SetName("rotation");
        yield return new TestCaseData(new Func<ImageAugmentation>(() => new RandomTranslation([-0.1, 0.2], [0.3], fillMode: "wrap", interpolation: "nearest"))).SetName("translation");
        yield return new TestCaseData(new Func<ImageAugmentation>(() => new RandomZoom([0.2], [-0.1, 0.1], fillMode: "nearest"))).SetName("zoom");
        yield return new TestCaseData(new Func<ImageAugmentation>(() => new RandomZoom([-0.3, 0.0]))).SetName("zoom keeping the aspect");
    }

    [TestCaseSource(nameof(Layers))]
    public void OnlyTheTrainingGraphAugments(Func<ImageAugmentation> make)
    {
        var layer = make();
        var g = new GraphBuilder();
        var x = g.Input([6, 5, 2], "x");
        var inference = new LayerContext(g, training: false, _ => throw new InvalidOperationException());
        Assert.That(layer.Call(inference, x), Is.SameAs(x));
        var training = new LayerContext(g, training: true, _ => throw new InvalidOperationException()) { LayerIndex = 4 };
        var y = layer.Call(training, x);
        Assert.That(y.Op, Is.InstanceOf<AugmentOp>());
        Assert.That(((AugmentOp)y.Op).Stream, Is.EqualTo(4u));
        Assert.That(y.Shape, Is.EqualTo(new[] { 6, 5, 2 }));
    }

    [TestCaseSource(nameof(Layers))]
    public void PredictIsTheIdentityAndFitTrainsThroughIt(Func<ImageAugmentation> make)
    {
        var x = Training.TestData.Random(12, 30, 7).Reshape(12, 5, 3, 2);
        var target = Training.TestData.Random(12, 1, 8);
        using var model = new Sequential(new Layer[] { make(), new Flatten(), new Dense(1) });
        model.Compile(optimizer: "adam", loss: "mse");
        model.Build([5, 3, 2]);
        var before = model.Predict(x);
        var evaluated = model.Evaluate(x, target, verbose: 0);
        using var plain = new Sequential(new Layer[] { new Flatten(inputShape: [5, 3, 2]), new Dense(1) });
        plain.Compile(optimizer: "adam", loss: "mse");
        plain.Build([5, 3, 2]);
        plain.SetWeights(model.GetWeights());
        Assert.That(before.Data, Is.EqualTo(plain.Predict(x).Data), "Predict skips the augmentation");
        var history = model.Fit(x, target, batchSize: 4, epochs: 2, verbose: 0);
        Assert.That(history["loss"].All(double.IsFinite));
        Assert.That(evaluated, Is.Not.Null);
    }

    [Test]
    public void NonImageInputIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => new RandomFlip(name: "flip").ComputeOutputShape([28, 28]))!;
        Assert.That(e.Message, Does.Contain("flip").And.Contain("(height, width, channels)").And.Contain("(28, 28)"));
        Assert.That(() => new Sequential(new RandomRotation([0.1], inputShape: [10])).Build([10]), Throws.ArgumentException.With.Message.Contains("RandomRotation"));
    }

    [Test]
    public void BadFactorsAndModesAreClearErrors()
    {
        Assert.That(() => new RandomTranslation([1.5], [0.1]), Throws.ArgumentException.With.Message.Contains("heightFactor values in [-1, 1]"));
        Assert.That(() => new RandomTranslation([0.1], [-2, 0]), Throws.ArgumentException.With.Message.Contains("widthFactor"));
        Assert.That(() => new RandomZoom([0.5, 0.1]), Throws.ArgumentException.With.Message.Contains("lower <= upper"));
        Assert.That(() => new RandomZoom([0.1], [1, 2, 3]), Throws.ArgumentException.With.Message.Contains("pair"));
        Assert.That(() => new RandomRotation([double.NaN]), Throws.ArgumentException.With.Message.Contains("finite"));
        Assert.That(() => new RandomRotation([0.1], fillMode: "mirror"), Throws.ArgumentException.With.Message.Contains("fill_mode"));
        Assert.That(() => new RandomRotation([0.1], interpolation: "bicubic"), Throws.ArgumentException.With.Message.Contains("interpolation"));
        Assert.That(() => new RandomFlip("diagonal"), Throws.ArgumentException.With.Message.Contains("mode"));
        Assert.That(() => new RandomRotation([3.0]), Throws.Nothing, "Keras allows any rotation factor");
    }

    [Test]
    public void EveryAugmentationLayerRoundTripsThroughSaveAndLoad()
    {
        string folder = NewFolder();
        try
        {
            using var model = new Sequential(new Layer[]
            {
                new RandomFlip("vertical", inputShape: [4, 4, 1]), new RandomRotation([-0.1, 0.3], "wrap", "nearest", 2),
                new RandomTranslation([0.1], [-0.2, 0.1], "constant", fillValue: 1), new RandomZoom([0.2]), new RandomZoom([0.1], [0.3]),
                new Flatten(), new Dense(2),
            });
            model.Build([4, 4, 1]);
            string path = Path.Combine(folder, "aug.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(loaded.Layers.Select(l => l.GetConfig()), Is.EqualTo(model.Layers.Select(l => l.GetConfig())));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
