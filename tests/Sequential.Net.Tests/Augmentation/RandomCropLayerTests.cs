using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Augmentation;

/// <summary>
/// The RandomCrop layer: a random crop in training, Keras's smart resize in Evaluate and Predict, the output
/// shape (height, width, C), the host preview, Fit on the digits, Save/Load, Keras-style errors.
/// </summary>
public class RandomCropLayerTests
{
    [SetUp]
    public void Seed() => Utils.SetRandomSeed(5);

    private static LayerContext Context(GraphBuilder g, bool training)
        => new(g, training, _ => throw new InvalidOperationException()) { LayerIndex = 3 };

    [Test]
    public void TheOutputIsHeightByWidthWithTheInputChannels()
    {
        Assert.That(new RandomCrop(4, 5).ComputeOutputShape([9, 9, 3]), Is.EqualTo(new[] { 4, 5, 3 }));
        Assert.That(new RandomCrop(12, 2).ComputeOutputShape([9, 9, 1]), Is.EqualTo(new[] { 12, 2, 1 }), "a larger output is a resize");
    }

    [Test]
    public void TrainingCropsAtRandomInferenceResizesAndASameSizeInputIsPassedThrough()
    {
        var g = new GraphBuilder();
        var x = g.Input([9, 10, 2], "x");
        var train = new RandomCrop(4, 6).Call(Context(g, training: true), x);
        var op = (CropOp)train.Op;
        Assert.That((op.Spec.RandomOffsets, op.Stream, op.Seed), Is.EqualTo((true, 3u, (ulong?)null)));
        Assert.That(train.Shape, Is.EqualTo(new[] { 4, 6, 2 }));

        var infer = new RandomCrop(4, 6, seed: 8).Call(Context(g, training: false), x);
        var spec = ((CropOp)infer.Op).Spec;
        Assert.That((spec.RandomOffsets, spec.BoxTop, spec.BoxLeft, spec.BoxHeight, spec.BoxWidth), Is.EqualTo((false, 1, 0, 6, 10)));
        Assert.That(((CropOp)infer.Op).Seed, Is.EqualTo(8UL));

        var notLarger = new RandomCrop(9, 4).Call(Context(g, training: true), x);
        Assert.That(((CropOp)notLarger.Op).Spec.RandomOffsets, Is.False, "training on an input not larger in both dimensions resizes");
        Assert.That(new RandomCrop(9, 10).Call(Context(g, training: true), x), Is.SameAs(x));
        Assert.That(new RandomCrop(9, 10).Call(Context(g, training: false), x), Is.SameAs(x));
    }

    [Test]
    public void TheHostPreviewCropsLikeTheBackendAndHonoursTheLayerSeed()
    {
        var images = Training.TestData.Random(3, 8 * 7 * 2, 4).Reshape(3, 8, 7, 2);
        var crop = new RandomCrop(5, 3, seed: 77);
        var y = crop.Augment(images, step: 4, stream: 1);
        Assert.That(y.Shape, Is.EqualTo(new[] { 3, 5, 3, 2 }));
        var (top, left, _, _) = AugmentMath.CropBox(CropSpec.Random(5, 3), 8, 7, 77, 4, 1);
        for (int b = 0; b < 3; b++)
            for (int r = 0; r < 5; r++)
                for (int col = 0; col < 3; col++)
                    for (int ch = 0; ch < 2; ch++)
                        Assert.That(y.Data[((b * 5 + r) * 3 + col) * 2 + ch], Is.EqualTo(images.Data[((b * 8 + top + r) * 7 + left + col) * 2 + ch]));
        Assert.That(new RandomCrop(5, 3).Augment(images, step: 4, stream: 1, seed: 77).Data, Is.EqualTo(y.Data));
    }

    /// <summary>The digits as (n, 8, 8, 1) in [0, 1] and their labels.</summary>
    private static (Tensor X, Tensor Y) Digits(int n)
    {
        var ((x, y), _) = SequentialNet.Datasets.Digits.LoadData();
        var data = x.Data.AsSpan(0, n * 64).ToArray().Select(v => v / 16f).ToArray();
        return (new Tensor(data, n, 8, 8, 1), new Tensor(y.Data.AsSpan(0, n).ToArray(), n));
    }

    /// <summary>The smart resize of (n, 8, 8, 1) images to (7, 7), on the host.</summary>
    private static Tensor Resized(Tensor x)
    {
        int n = x.Shape[0];
        var spec = CropSpec.Resize(8, 8, 7, 7);
        var output = new float[n * 49];
        for (int b = 0; b < n; b++)
            AugmentMath.CropResize(x.Data.AsSpan(b * 64, 64), output.AsSpan(b * 49, 49), 8, 8, 1, spec.BoxTop, spec.BoxLeft, spec.BoxHeight, spec.BoxWidth, 7, 7);
        return new Tensor(output, n, 7, 7, 1);
    }

    [Test]
    public void ADigitsModelTrainsThroughTheCropPredictsOnTheResizeAndRoundTripsThroughSaveAndLoad()
    {
        var (x, y) = Digits(480);
        using var model = new Sequential(new Layer[] { new RandomCrop(7, 7, inputShape: [8, 8, 1]), new Flatten(), new Dense(10, activation: "softmax") });
        model.Compile(optimizer: new Adam(learningRate: 0.02), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var history = model.Fit(x, y, batchSize: 32, epochs: 15, verbose: 0);
        Assert.That(history["loss"].All(double.IsFinite));
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]), "training lowers the loss");
        var scores = model.Evaluate(x, y, verbose: 0);
        Assert.That(scores["accuracy"], Is.GreaterThan(0.7), "a linear classifier of 7×7 crops learns the digits");

        // Predict and Evaluate run the smart resize: the same as a plain model on the host-resized images.
        var predicted = model.Predict(x);
        using var plain = new Sequential(new Layer[] { new Flatten(inputShape: [7, 7, 1]), new Dense(10, activation: "softmax") });
        plain.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        plain.Build([7, 7, 1]);
        plain.SetWeights(model.GetWeights());
        var resized = Resized(x);
        var expected = plain.Predict(resized);
        for (int i = 0; i < expected.Length; i++)
            Assert.That(predicted.Data[i], Is.EqualTo(expected.Data[i]).Within(1e-6), $"prediction {i}");
        Assert.That(scores["accuracy"], Is.EqualTo(plain.Evaluate(resized, y, verbose: 0)["accuracy"]).Within(1e-9));

        string folder = NewFolder();
        try
        {
            string path = Path.Combine(folder, "crop.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(loaded.Layers[0], Is.InstanceOf<RandomCrop>());
            Assert.That(loaded.Layers[0].GetConfig(), Is.EqualTo(model.Layers[0].GetConfig()));
            Assert.That(loaded.Predict(x).Data, Is.EqualTo(predicted.Data), "identical predictions after loading");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Test]
    public void TheConfigUsesKerasKeysAndASeededLayerRoundTrips()
    {
        var config = new RandomCrop(3, 4, seed: 9, name: "crop").GetConfig();
        Assert.That((config["height"], config["width"], config["seed"]), Is.EqualTo(((object)3, (object)4, (object?)9)));
        string folder = NewFolder();
        try
        {
            using var model = new Sequential(new Layer[] { new RandomCrop(3, 4, seed: 9, inputShape: [5, 6, 2]), new RandomFlip(), new Flatten(), new Dense(2) });
            model.Build([5, 6, 2]);
            string path = Path.Combine(folder, "seeded.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(loaded.Layers.Select(l => l.GetConfig()), Is.EqualTo(model.Layers.Select(l => l.GetConfig())));
            Assert.That(((RandomCrop)loaded.Layers[0]).Seed, Is.EqualTo(9));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Test]
    public void BadSizesAndNonImageInputsAreClearErrors()
    {
        Assert.That(() => new RandomCrop(0, 4), Throws.ArgumentException.With.Message.Contains("RandomCrop: expected a positive height and width").And.Message.Contains("height=0"));
        Assert.That(() => new RandomCrop(4, -1), Throws.ArgumentException.With.Message.Contains("width=-1"));
        var e = Assert.Throws<ArgumentException>(() => new RandomCrop(2, 2, name: "crop").ComputeOutputShape([28, 28]))!;
        Assert.That(e.Message, Does.Contain("Layer \"crop\" (RandomCrop)").And.Contain("(height, width, channels)").And.Contain("(28, 28)"));
        Assert.That(() => new Sequential(new RandomCrop(2, 2, inputShape: [10])).Build([10]), Throws.ArgumentException.With.Message.Contains("RandomCrop"));
        Assert.That(() => new RandomCrop(2, 2).Augment(new Tensor(new float[27], 3, 3, 3)), Throws.ArgumentException.With.Message.Contains("(batch, height, width, channels)"));
    }
}
