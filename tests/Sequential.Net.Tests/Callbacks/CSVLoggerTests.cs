using SequentialNet.Callbacks;
using static SequentialNet.Tests.Callbacks.CallbackTestModels;

namespace SequentialNet.Tests.Callbacks;

/// <summary>CSVLogger writes Keras's layout: a sorted header after "epoch" and one row per epoch.</summary>
public class CSVLoggerTests
{
    private string _path = "";

    [SetUp]
    public void MakePath() => _path = Path.Combine(Path.GetTempPath(), $"csvlogger-{Guid.NewGuid():N}.csv");

    [TearDown]
    public void RemoveFile() => File.Delete(_path);

    [Test]
    public void WritesTheHeaderAndOneRowPerEpoch()
    {
        var model = Linear("mae");
        var history = model.Fit(Training.TestData.Random(40, 2, 1), Training.TestData.Random(40, 1, 2), epochs: 3, batchSize: 8,
            verbose: 0, validationSplit: 0.25, callbacks: [new CSVLogger(_path)]);
        string text = File.ReadAllText(_path);
        Assert.That(text, Does.EndWith("\r\n"));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("epoch,loss,mean_absolute_error,val_loss,val_mean_absolute_error"));
        Assert.That(lines, Has.Length.EqualTo(4));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var fields = lines[epoch + 1].Split(',');
            Assert.That(fields[0], Is.EqualTo(epoch.ToString()));
            Assert.That(double.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(history["loss"][epoch]));
            Assert.That(double.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(history["val_loss"][epoch]));
        }
    }

    [Test]
    public void WithoutValidationTheValColumnsSayNA()
    {
        // Keras 3 adds "val_" columns when the first epoch has none (validation may start later).
        Linear().Fit(Training.TestData.Random(8, 2, 1), Training.TestData.Random(8, 1, 2), epochs: 1, verbose: 0,
            callbacks: [new CSVLogger(_path, separator: ";")]);
        var lines = File.ReadAllLines(_path);
        Assert.That(lines[0], Is.EqualTo("epoch;loss;val_loss"));
        Assert.That(lines[1], Does.StartWith("0;").And.EndWith(";NA"));
    }

    [Test]
    public void AppendAddsRowsWithoutASecondHeader()
    {
        var model = Linear();
        var (x, y) = (Training.TestData.Random(8, 2, 1), Training.TestData.Random(8, 1, 2));
        model.Fit(x, y, epochs: 2, verbose: 0, callbacks: [new CSVLogger(_path)]);
        model.Fit(x, y, epochs: 3, initialEpoch: 2, verbose: 0, callbacks: [new CSVLogger(_path, append: true)]);
        var lines = File.ReadAllLines(_path);
        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "0", "1", "2" }));
        model.Fit(x, y, epochs: 1, verbose: 0, callbacks: [new CSVLogger(_path)]);
        Assert.That(File.ReadAllLines(_path), Has.Length.EqualTo(2), "without append the file is overwritten");
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        Assert.That(() => new CSVLogger(""), Throws.ArgumentException.With.Message.Contains("Received: an empty string"));
        Assert.That(() => new CSVLogger("a.csv", separator: ""), Throws.ArgumentException);
    }
}
