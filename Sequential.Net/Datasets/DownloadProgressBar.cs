using System.Diagnostics;
using System.Globalization;

namespace SequentialNet.Datasets;

/// <summary>
/// A one-line download progress bar. On a terminal it redraws itself in place (at most ten times a second);
/// when the output is redirected it writes only a start line and a final line, so logs stay readable.
/// </summary>
internal sealed class DownloadProgressBar
{
    private const int Width = 30;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _nextDraw = TimeSpan.Zero;

    /// <summary>Starts a bar for <paramref name="url"/> on <paramref name="writer"/>.</summary>
    public DownloadProgressBar(TextWriter writer, bool interactive, Uri url)
    {
        _writer = writer;
        _interactive = interactive;
        _writer.WriteLine($"Downloading {url}");
    }

    /// <summary>Whether <paramref name="writer"/> is the console's error stream on a terminal.</summary>
    public static bool IsInteractive(TextWriter writer) => writer == Console.Error && !Console.IsErrorRedirected;

    /// <summary>Reports <paramref name="done"/> bytes of <paramref name="total"/> (null when unknown).</summary>
    public void Report(long done, long? total)
    {
        if (!_interactive || _clock.Elapsed < _nextDraw) return;
        _nextDraw = _clock.Elapsed + RedrawInterval;
        _writer.Write("\r" + Line(done, total));
        _writer.Flush();
    }

    /// <summary>Draws the final state and ends the line.</summary>
    public void Complete(long done)
    {
        string line = Line(done, done) + $" in {_clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
        _writer.WriteLine(_interactive ? "\r" + line : line);
        _writer.Flush();
    }

    /// <summary>Ends the line after a failed download, so the next message starts on a fresh line.</summary>
    public void Abort()
    {
        if (_interactive) _writer.WriteLine();
    }

    private static string Line(long done, long? total)
    {
        if (total is not > 0) return $"{Megabytes(done)} MB";
        double fraction = Math.Clamp((double)done / total.Value, 0, 1);
        int filled = (int)(fraction * Width);
        string bar = new string('=', filled) + (filled < Width ? ">" + new string('.', Width - filled - 1) : "");
        return $"[{bar}] {fraction * 100,3:0}% {Megabytes(done)}/{Megabytes(total.Value)} MB";
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture);
}
