using FashionMnistCnn;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Functional;

/// <summary>
/// The residual CNN of examples/FashionMnistCnn (ResidualCnn.cs), at a tiny width on 8×8 digits: its graph has the
/// skip connections and the 1×1 projection, it learns, and a saved copy predicts exactly what it does.
/// </summary>
public class ResidualCnnTests
{
    [Test]
    public void ATinyResidualCnnTrainsAndRoundTripsSaveLoad()
    {
        Utils.SetRandomSeed(17);
        var ((x, y), (xTest, _)) = Digits.LoadData();
        x = (x / 16f).Reshape(-1, 8, 8, 1).Rows(0, 384);
        y = y.Rows(0, 384);
        xTest = (xTest / 16f).Reshape(-1, 8, 8, 1).Rows(0, 64);
        using var model = ResidualCnn.Build(side: 8, width: 4);
        Assert.That(model.Layers.OfType<Add>().Count(), Is.EqualTo(2), "two residual blocks");
        Assert.That(model.Layers.OfType<Conv2D>().Count(c => c.KernelSize.SequenceEqual(new[] { 1, 1 })), Is.EqualTo(1), "one 1×1 projection shortcut");
        Assert.That(model.OutputShape, Is.EqualTo(new[] { 10 }));
        string text = model.SummaryText();
        foreach (string shape in new[] { "(None, 8, 8, 4)", "(None, 4, 4, 4)", "(None, 2, 2, 8)", "(None, 8)", "(None, 10)" })
            Assert.That(text, Does.Contain(shape), shape);

        model.Compile(optimizer: new Adam(3e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var history = model.Fit(x, y, epochs: 6, batchSize: 32, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0] * 0.7), "the training loss falls");
        Assert.That(history["accuracy"][^1], Is.GreaterThan(history["accuracy"][0]), "the training accuracy rises");

        string path = Path.Combine(Path.GetTempPath(), $"snet-residual-{Guid.NewGuid():N}.snet");
        try
        {
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(loaded.Predict(xTest).Data, Is.EqualTo(model.Predict(xTest).Data), "identical predictions after Save/Load");
        }
        finally { File.Delete(path); }
    }
}
