using SequentialNet.Callbacks;
using SkiaSharp;

namespace SequentialNet.Plotting.Tests;

public class HistoryPlotTests
{
    private string _dir = "";

    [SetUp]
    public void MakeFolder() => _dir = Directory.CreateTempSubdirectory("snet-plots-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Curves_OnePanelPerQuantity_TrainingAndValidation()
    {
        var (model, history, _, _) = DigitsModel.Train();
        using var _m = model;
        string path = Path.Combine(_dir, "curves.png");

        var panels = history.Plot(path);

        Assert.That(panels, Is.EqualTo(new[] { "loss", "accuracy" }));
        var png = PngImage.Read(path);
        Assert.That((png.Width, png.Height), Is.EqualTo((2 * HistoryPlots.PanelWidth, HistoryPlots.DefaultHeight)));
        Assert.That(png.InkFraction(), Is.InRange(0.02, 0.6), "neither blank nor filled");
        // Training curves in ScottPlot's first category colour (#1f77b4), validation in the second (#ff7f0e).
        Assert.That(png.CountNear(new SKColor(0x1f, 0x77, 0xb4)), Is.GreaterThan(200), "training curve pixels");
        Assert.That(png.CountNear(new SKColor(0xff, 0x7f, 0x0e)), Is.GreaterThan(200), "validation curve pixels");
    }

    [Test]
    public void Curves_GivenSize_IsTheImageSize()
    {
        var history = new History();
        history.OnEpochEnd(0, new Dictionary<string, double> { ["loss"] = 1.0 });
        history.OnEpochEnd(1, new Dictionary<string, double> { ["loss"] = double.NaN });
        history.OnEpochEnd(2, new Dictionary<string, double> { ["loss"] = 0.5 });
        string path = Path.Combine(_dir, "loss.png");

        Assert.That(history.Plot(path, width: 300, height: 200), Is.EqualTo(new[] { "loss" }));

        var png = PngImage.Read(path);
        Assert.That((png.Width, png.Height), Is.EqualTo((300, 200)));
        Assert.That(png.CountNear(new SKColor(0x1f, 0x77, 0xb4)), Is.GreaterThan(20), "the finite points are drawn");
    }

    [Test]
    public void Quantities_StripValPrefix_LossFirst_LoggingOrder()
    {
        string[] logged = ["accuracy", "loss", "val_accuracy", "val_loss", "learning_rate", "val_auc"];
        Assert.That(HistoryPlots.Quantities(logged), Is.EqualTo(new[] { "loss", "accuracy", "learning_rate", "auc" }));
    }

    [Test]
    public void EmptyHistory_IsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => new History().Plot(Path.Combine(_dir, "x.png")));
        Assert.That(ex!.Message, Does.Contain("Received: an empty history"));
        Assert.That(File.Exists(Path.Combine(_dir, "x.png")), Is.False);
    }

    [Test]
    public void TinySize_IsAClearError()
    {
        var history = new History();
        history.OnEpochEnd(0, new Dictionary<string, double> { ["loss"] = 1.0 });
        var ex = Assert.Throws<ArgumentException>(() => history.Plot(Path.Combine(_dir, "x.png"), width: 10));
        Assert.That(ex!.Message, Does.Contain("Received: 10x360"));
    }
}
