using SequentialNet.Callbacks;
using SequentialNet.Saving;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Saving;

/// <summary>ModelCheckpoint: Keras's file names, monitor, save_best_only, save_weights_only and mode.</summary>
public class ModelCheckpointTests
{
    private string _folder = "";
    private (Tensor X, Tensor Y) _data;

    [SetUp]
    public void SetUp() { Utils.SetRandomSeed(12); _folder = NewFolder(); _data = Data(); }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private History Fit(Model model, ModelCheckpoint checkpoint, int epochs = 5)
        => model.Fit(_data.X, _data.Y, epochs: epochs, batchSize: 16, validationSplit: 0.3, verbose: 0, callbacks: [checkpoint]);

    private string[] Files() => [.. Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Test]
    public void NamesFilesWithTheEpochAndLoggedValues()
    {
        using var model = DropoutMlp();
        var checkpoint = new ModelCheckpoint(Path.Combine(_folder, "ckpt-{epoch:02d}-{val_loss:.2f}.snet"));
        var history = Fit(model, checkpoint, epochs: 3);
        var expected = Enumerable.Range(0, 3).Select(e => $"ckpt-{e + 1:00}-{PythonFormat.FormatValue(history["val_loss"][e], ".2f")}.snet").Order(StringComparer.Ordinal);
        Assert.That(Files(), Is.EqualTo(expected));
        Assert.That(checkpoint.LastSavedPath, Does.Contain("ckpt-03-"));
        using var last = Model.Load(checkpoint.LastSavedPath!);
        AssertSameModel(model, last);
    }

    [Test]
    public void SaveBestOnlyKeepsImprovementsOfTheMonitorInItsDirection()
    {
        using var model = DropoutMlp();
        var output = new StringWriter();
        var min = new ModelCheckpoint(Path.Combine(_folder, "loss-{epoch}.snet"), saveBestOnly: true, verbose: 1) { Output = output };
        var max = new ModelCheckpoint(Path.Combine(_folder, "acc-{epoch}.snet"), monitor: "val_accuracy", saveBestOnly: true, saveWeightsOnly: true);
        var history = model.Fit(_data.X, _data.Y, epochs: 8, batchSize: 16, validationSplit: 0.3, verbose: 0, callbacks: [min, max]);
        Assert.That(Files().Where(f => f.StartsWith("loss-")), Is.EquivalentTo(Improvements(history["val_loss"], less: true).Select(e => $"loss-{e + 1}.snet")));
        Assert.That(Files().Where(f => f.StartsWith("acc-")), Is.EquivalentTo(Improvements(history["val_accuracy"], less: false).Select(e => $"acc-{e + 1}.snet")));
        Assert.That(min.Best, Is.EqualTo(history["val_loss"].Min()));
        Assert.That(max.Best, Is.EqualTo(history["val_accuracy"].Max()));
        Assert.That(output.ToString(), Does.Contain("Epoch 1: val_loss improved from inf to "));
        Assert.Throws<ModelFormatException>(() => Model.Load(max.LastSavedPath!), "weights only");
        using var other = DropoutMlp();
        other.LoadWeights(max.LastSavedPath!);
    }

    private static IEnumerable<int> Improvements(IReadOnlyList<double> values, bool less)
    {
        double best = less ? double.PositiveInfinity : double.NegativeInfinity;
        for (int e = 0; e < values.Count; e++)
        {
            if (less ? values[e] < best : values[e] > best) { best = values[e]; yield return e; }
        }
    }

    [Test]
    public void ModeMaxOnALossAndTheThresholdAreHonoured()
    {
        using var model = DropoutMlp();
        var maxLoss = new ModelCheckpoint(Path.Combine(_folder, "m-{epoch}.snet"), monitor: "loss", mode: "max", saveBestOnly: true, initialValueThreshold: 1e9);
        Fit(model, maxLoss);
        Assert.That(Files(), Is.Empty, "nothing beats a threshold of 1e9 when maximizing");
        Assert.That(maxLoss.Best, Is.EqualTo(1e9));
    }

    [Test]
    public void BadArgumentsAndMissingValuesSayWhat()
    {
        Assert.Throws<ArgumentException>(() => new ModelCheckpoint("x.snet", mode: "biggest"));
        Assert.Throws<ArgumentException>(() => new ModelCheckpoint("x-{epoch.snet"));
        using var model = DropoutMlp();
        var unknownField = new ModelCheckpoint(Path.Combine(_folder, "{val_f1:.2f}.snet"));
        var ex = Assert.Throws<KeyNotFoundException>(() => Fit(model, unknownField, epochs: 1))!;
        Assert.That(ex.Message, Does.Contain("{val_f1}").And.Contain("val_loss"));
        var unknownDirection = new ModelCheckpoint(Path.Combine(_folder, "x.snet"), monitor: "val_f1", saveBestOnly: true);
        Assert.That(Assert.Throws<ArgumentException>(() => Fit(model, unknownDirection, epochs: 1))!.Message, Does.Contain("mode: \"max\""));
        var output = new StringWriter();
        var missing = new ModelCheckpoint(Path.Combine(_folder, "y.snet"), monitor: "val_f1", mode: "max", saveBestOnly: true) { Output = output };
        Fit(model, missing, epochs: 1);
        Assert.That(output.ToString(), Does.Contain("\"val_f1\" available, skipping"));
        Assert.That(Files(), Is.Empty);
    }
}
