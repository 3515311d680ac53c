using SequentialNet.Layers;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Preprocessing;

/// <summary>Rescaling(scale, offset) computes x·scale + offset and survives Save/Load.</summary>
public class RescalingTests
{
    [SetUp]
    public void Seed() => Utils.SetRandomSeed(3);

    [Test]
    public void PredictIsScaleTimesXPlusOffset()
    {
        var x = Training.TestData.Random(7, 2, 3, scale: 255f).Reshape(7, 2, 1);
        using var model = new Sequential(new Rescaling(1.0 / 127.5, offset: -1.0, inputShape: [2, 1]));
        model.Compile(optimizer: "sgd", loss: "mse");
        var y = model.Predict(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 7, 2, 1 }));
        for (int i = 0; i < x.Length; i++)
            Assert.That(y.Data[i], Is.EqualTo(x.Data[i] / 127.5 - 1.0).Within(1e-5));
    }

    [Test]
    public void ScaleAloneAndTrainingThroughIt()
    {
        var x = Training.TestData.Random(32, 3, 5, scale: 100f);
        var target = Training.TestData.Random(32, 1, 6);
        using var model = new Sequential(new Rescaling(0.01, inputShape: [3]), new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        var history = model.Fit(x, target, epochs: 5, verbose: 0);
        Assert.That(history["loss"].All(double.IsFinite));
        Assert.That(model.Predict(x).AllFinite());
    }

    [Test]
    public void RoundTripsThroughSaveAndLoad()
    {
        string folder = NewFolder();
        try
        {
            using var model = new Sequential(new Rescaling(0.5, 2.0, inputShape: [4]), new Dense(2));
            model.Build([4]);
            string path = Path.Combine(folder, "r.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            AssertSameModel(model, loaded);
            var r = (Rescaling)loaded.Layers[0];
            Assert.That((r.Scale, r.Offset), Is.EqualTo((0.5, 2.0)));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [TestCase(double.NaN, 0.0)]
    [TestCase(1.0, double.PositiveInfinity)]
    [TestCase(1e300, 0.0)]
    public void NonFiniteScaleOrOffsetIsRejected(double scale, double offset)
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new Rescaling(scale, offset));
        Assert.That(e!.Message, Does.Contain("Rescaling: expected a finite scale and offset"));
    }
}
