using NUnit.Framework;
using SequentialNet.Datasets;

namespace SequentialNet.Tests.Datasets;

[TestFixture]
public sealed class DownloadProgressBarTests
{
    private static readonly Uri Url = new("http://127.0.0.1:1/file.gz");

    [Test]
    public void InteractiveBarRedrawsInPlaceAndEndsTheLine()
    {
        var output = new StringWriter();
        var bar = new DownloadProgressBar(output, interactive: true, Url);

        bar.Report(13_000_000, 26_000_000);
        bar.Complete(26_000_000);

        string text = output.ToString();
        Assert.That(text, Does.StartWith($"Downloading {Url}"));
        Assert.That(text, Does.Contain("\r[===============>..............]  50% 13.0/26.0 MB"));
        Assert.That(text, Does.Contain("\r[==============================] 100% 26.0/26.0 MB in "));
        Assert.That(text, Does.EndWith(Environment.NewLine));
    }

    [Test]
    public void RedirectedOutputGetsNoCarriageReturns()
    {
        var output = new StringWriter();
        var bar = new DownloadProgressBar(output, interactive: false, Url);

        bar.Report(1, 2);
        bar.Complete(2);

        Assert.That(output.ToString(), Does.Not.Contain("\r"));
        Assert.That(output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
    }

    [Test]
    public void UnknownLengthShowsBytesOnly()
    {
        var output = new StringWriter();
        var bar = new DownloadProgressBar(output, interactive: true, Url);

        bar.Report(2_500_000, null);

        Assert.That(output.ToString(), Does.EndWith("\r2.5 MB"));
    }

    [Test]
    public void ConsoleErrorIsInteractiveOnlyOnATerminal() =>
        Assert.That(DownloadProgressBar.IsInteractive(new StringWriter()), Is.False);
}
