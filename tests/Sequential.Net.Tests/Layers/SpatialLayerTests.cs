using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Graph.Ops;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using SequentialNet.Tests.Graph;

namespace SequentialNet.Tests.LayerTests;

/// <summary>
/// ZeroPadding2D, Cropping2D, UpSampling2D and SpatialDropout2D as layers: Keras's documented examples, Summary
/// shapes, save/load of their configs, training through them, and the errors of bad arguments and inputs. The ops
/// themselves are rows of the op-case table (SpatialOpCases: float64 forward, gradient checks, emulated CUDA).
/// </summary>
public class SpatialLayerTests
{
    [SetUp]
    public void SetUp() => Utils.SetRandomSeed(11);

    private static float[] Predict(Layer layer, Tensor x)
    {
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        return model.Predict(x).Data;
    }

    private static Tensor Arange(params int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        return new Tensor(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), shape);
    }

    [Test]
    public void ZeroPaddingMatchesKerasDocstringExample()
    {
        // keras.layers.ZeroPadding2D(padding=1) on np.arange(4).reshape((1, 1, 2, 2)): a ring of zeros around [[0 1] [2 3]].
        float[] y = Predict(new ZeroPadding2D(1, inputShape: [1, 2, 2]), Arange(1, 1, 2, 2));
        Assert.That(y, Is.EqualTo(new float[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
    }

    [Test]
    public void AsymmetricPaddingAndCroppingPlaceEveryValue()
    {
        // ((top 1, bottom 0), (left 0, right 2)) around a 2×2 image of one channel.
        float[] padded = Predict(new ZeroPadding2D([[1, 0], [0, 2]], inputShape: [2, 2, 1]), new Tensor([1f, 2, 3, 4], 1, 2, 2, 1));
        Assert.That(padded, Is.EqualTo(new float[] { 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0 }));
        // Cropping2D(((1, 0), (1, 1))) of a 3×4 image keeps rows 1..2 and columns 1..2.
        float[] cropped = Predict(new Cropping2D([[1, 0], [1, 1]], inputShape: [3, 4, 1]), Arange(1, 3, 4, 1));
        Assert.That(cropped, Is.EqualTo(new float[] { 5, 6, 9, 10 }));
        Assert.That(Predict(new Cropping2D([1, 0], inputShape: [3, 2, 1]), Arange(1, 3, 2, 1)), Is.EqualTo(new float[] { 2, 3 }));
    }

    [Test]
    public void UpSamplingMatchesKerasDocstringExample()
    {
        // keras.layers.UpSampling2D(size=(1, 2)) on np.arange(12).reshape((2, 2, 1, 3)).
        float[] y = Predict(new UpSampling2D([1, 2], inputShape: [2, 1, 3]), Arange(2, 2, 1, 3));
        Assert.That(y, Is.EqualTo(new float[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11 }));
        // size 2 repeats rows and columns: [[1 2]] → [[1 1 2 2] [1 1 2 2]].
        Assert.That(Predict(new UpSampling2D(inputShape: [1, 2, 1]), new Tensor([1f, 2], 1, 1, 2, 1)), Is.EqualTo(new float[] { 1, 1, 2, 2, 1, 1, 2, 2 }));
    }

    [Test]
    public void SpatialDropoutIsTheIdentityInInference()
    {
        var x = Training.TestData.Random(3 * 4 * 5, 2, seed: 3, 1f).Reshape(3, 4, 5, 2);
        Assert.That(Predict(new SpatialDropout2D(0.5, inputShape: [4, 5, 2]), x), Is.EqualTo(x.Data));
    }

    [Test]
    public void SpatialDropoutDropsWholeChannelsWithDropoutsPhiloxMask()
    {
        // The op as SpatialDropout2D emits it, run on the CPU backend: each (sample, channel) map is all zeros or all
        // x/(1 − rate), decided by Philox at element b·C + c of (seed, step, stream), Dropout's formula.
        const float rate = 0.4f;
        var opCase = SpatialOpCases.All().Single(c => c.Name == "spatial_dropout");
        var built = opCase.Build(seed: 5);
        var result = BackendRunner.Run(new CpuBackend(), built, seed: 42, rngStep: 3);
        float[] y = result[built.Output];
        double[] x = built.Feeds[built.Inputs[0]];
        int n = 3, pixels = 2 * 3, c = 7, dropped = 0;
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                bool keep = Philox.Uniform(42, 3, 9, (uint)(b * c + ch)) >= rate;
                dropped += keep ? 0 : 1;
                for (int p = 0; p < pixels; p++)
                {
                    int i = (b * pixels + p) * c + ch;
                    Assert.That(y[i], Is.EqualTo(keep ? (float)x[i] * (1f / (1f - rate)) : 0f).Within(1e-6), $"sample {b}, pixel {p}, channel {ch}");
                }
            }
        Assert.That(dropped, Is.InRange(1, n * c - 1), "some maps dropped and some kept");
    }

    [Test]
    public void AModelWithEveryLayerTrainsReproduciblyAndRoundTrips()
    {
        var x = Training.TestData.Random(32 * 36, 1, seed: 4, 1f).Reshape(32, 6, 6, 1);
        var y = Training.TestData.Random(32, 1, seed: 5, 1f);
        static Sequential Build() => new(
            new ZeroPadding2D([[1, 0], [2, 1]], inputShape: [6, 6, 1]), new Conv2D(4, 3, activation: "relu"),
            new SpatialDropout2D(0.25), new UpSampling2D([2, 1]), new Cropping2D([[2, 1], [1, 1]]),
            new GlobalAveragePooling2D(), new Dense(1));
        double[] Train(Sequential model)
        {
            model.Compile(optimizer: new Adam(0.01), loss: "mse");
            return [.. model.Fit(x, y, epochs: 8, batchSize: 8, verbose: 0)["loss"]];
        }
        Utils.SetRandomSeed(21);
        using var model = Build();
        double[] losses = Train(model);
        Utils.SetRandomSeed(21);
        using (var again = Build()) Assert.That(Train(again), Is.EqualTo(losses), "the same seed draws the same channel masks");
        Assert.That(losses[^1], Is.LessThan(losses[0]), "the loss falls");

        string text = model.SummaryText();
        foreach (string shape in new[] { "(None, 7, 9, 1)", "(None, 5, 7, 4)", "(None, 10, 7, 4)", "(None, 7, 5, 4)" })
            Assert.That(text, Does.Contain(shape), shape);

        string path = Path.Combine(Path.GetTempPath(), $"snet-spatial-{Guid.NewGuid():N}.snet");
        try
        {
            model.Save(path);
            using var loaded = Model.Load(path);
            SequentialNet.Tests.Saving.SavingFixtures.AssertSameModel(model, loaded);
            Assert.That(loaded.Predict(x).Data, Is.EqualTo(model.Predict(x).Data));
            Assert.That(((ZeroPadding2D)loaded.Layers[0]).Padding, Is.EqualTo(new[] { new[] { 1, 0 }, new[] { 2, 1 } }));
            Assert.That(((UpSampling2D)loaded.Layers[3]).Size, Is.EqualTo(new[] { 2, 1 }));
            Assert.That(((Cropping2D)loaded.Layers[4]).Cropping, Is.EqualTo(new[] { new[] { 2, 1 }, new[] { 1, 1 } }));
            Assert.That(((SpatialDropout2D)loaded.Layers[2]).Rate, Is.EqualTo(0.25));
        }
        finally { File.Delete(path); }
        Assert.That(SequentialNet.Saving.LayerRegistry.BuiltInNames, Is.SupersetOf(new[] { "ZeroPadding2D", "Cropping2D", "UpSampling2D", "SpatialDropout2D" }));
    }

    [Test]
    public void BadArgumentsFailWithKerasMessages()
    {
        Assert.That(() => new ZeroPadding2D([1, 2, 3]), Throws.ArgumentException.With.Message.Contains("`padding` should be either an int").And.Message.Contains("padding=(1, 2, 3)"));
        Assert.That(() => new ZeroPadding2D([[1, 1], [2]]), Throws.ArgumentException.With.Message.Contains("tuple of 2 tuples of 2 ints"));
        Assert.That(() => new ZeroPadding2D(-1), Throws.ArgumentException.With.Message.Contains("expected `padding` values >= 0"));
        Assert.That(() => new Cropping2D([[0, -2], [1, 1]]), Throws.ArgumentException.With.Message.Contains("cropping=((0, -2), (1, 1))"));
        Assert.That(() => new UpSampling2D(0), Throws.ArgumentException.With.Message.Contains("size=0"));
        Assert.That(() => new UpSampling2D(2, interpolation: "bilinear"),
            Throws.ArgumentException.With.Message.Contains("interpolation=\"bilinear\" is not supported. Expected \"nearest\""));
        Assert.That(() => new SpatialDropout2D(1.0), Throws.ArgumentException.With.Message.Contains("expected 0 <= rate < 1. Received: rate=1"));
    }

    [Test]
    public void BadInputsFailBeforeAnyWorkWithTheShapes()
    {
        var crop = new Sequential(new Cropping2D([[2, 2], [0, 0]], inputShape: [4, 5, 1]));
        Assert.That(() => crop.Compile(optimizer: "sgd", loss: "mse"),
            Throws.ArgumentException.With.Message.Contains("should be smaller than the corresponding spatial dimension").And.Message.Contains("input_shape=(None, 4, 5, 1)"));
        foreach (Layer layer in new Layer[] { new ZeroPadding2D(inputShape: [28, 28]), new UpSampling2D(inputShape: [28, 28]), new SpatialDropout2D(0.1, inputShape: [28, 28]), new Cropping2D(1, inputShape: [28, 28]) })
        {
            var model = new Sequential(layer);
            Assert.That(() => model.Compile(optimizer: "sgd", loss: "mse"),
                Throws.ArgumentException.With.Message.Contains("expected ndim=4, found ndim=3. Full shape received: (None, 28, 28)"), layer.GetType().Name);
        }
    }
}
