using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SequentialNet.Callbacks;

/// <summary>
/// Keras's progress line: <c>1875/1875 ━━━━━━━━━━━━━━━━━━━━ 3s 1ms/step - accuracy: 0.9012 - loss: 0.3345</c>.
/// Redraws in place (with colours) on a terminal, at most every 0.05 s; prints plain lines, at most one a
/// second plus the final one, when output is redirected.
/// </summary>
internal sealed class ProgressBar
{
    private const int BarWidth = 20;
    private readonly TextWriter _out;
    private readonly int _target;
    private readonly int _verbose;
    private readonly bool _dynamic;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _lastUpdate = double.NegativeInfinity;
    private int _lastWidth;

    public ProgressBar(int target, int verbose, TextWriter? output = null)
    {
        _target = target; _verbose = verbose;
        _out = output ?? Console.Out;
        _dynamic = output == null && !Console.IsOutputRedirected;
        Interval = _dynamic ? 0.05 : 1.0;
    }

    /// <summary>Seconds between redraws: 0.05 on a terminal, 1 when output is redirected (Keras's rates).</summary>
    public double Interval { get; set; }

    /// <summary>Whether a non-final <see cref="Update"/> now would draw (verbose 1, and the redraw interval has passed).</summary>
    public bool WouldDraw => _verbose == 1 && _clock.Elapsed.TotalSeconds - _lastUpdate >= Interval;

    public void Update(int current, IEnumerable<KeyValuePair<string, double>> values, bool finalize = false)
    {
        double now = _clock.Elapsed.TotalSeconds;
        if (!finalize && (now - _lastUpdate < Interval || _verbose != 1)) return;
        _lastUpdate = now;
        if (_verbose == 2 && !finalize) return;
        string line = Format(current, now, values, finalize);
        if (_dynamic && _verbose == 1)
        {
            _out.Write("\r" + line + new string(' ', Math.Max(0, _lastWidth - VisibleLength(line))));
            _lastWidth = VisibleLength(line);
            if (finalize) _out.WriteLine();
        }
        else _out.WriteLine(line);
        _out.Flush();
    }

    private string Format(int current, double elapsed, IEnumerable<KeyValuePair<string, double>> values, bool finalize)
    {
        var sb = new StringBuilder();
        int digits = _target.ToString(CultureInfo.InvariantCulture).Length;
        string counter = $"{current.ToString(CultureInfo.InvariantCulture).PadLeft(digits)}/{_target}";
        sb.Append(_dynamic ? $"\u001b[1m{counter}\u001b[0m" : counter);
        double perStep = current > 0 ? elapsed / current : 0;
        if (_verbose == 1)
        {
            sb.Append(' ').Append(Bar(current));
            sb.Append(' ').Append(finalize ? $"{(int)Math.Round(elapsed)}s" : Eta((int)Math.Round(perStep * (_target - current))));
        }
        else sb.Append(" - ").Append($"{(int)Math.Round(elapsed)}s").Append(" -");
        sb.Append(' ').Append(StepTime(perStep));
        foreach (var (name, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            sb.Append(" - ").Append(name).Append(": ").Append(FormatValue(value));
        return sb.ToString();
    }

    private string Bar(int current)
    {
        int done = _target == 0 ? BarWidth : (int)(BarWidth * (double)current / _target);
        string filled = new('━', done), rest = new('━', BarWidth - done);
        return _dynamic ? $"\u001b[32m{filled}\u001b[0m\u001b[37m{rest}\u001b[0m" : filled + new string('─', BarWidth - done);
    }

    internal static string Eta(int seconds) => seconds > 3600 ? $"{seconds / 3600}:{seconds % 3600 / 60:00}:{seconds % 60:00}"
        : seconds > 60 ? $"{seconds / 60}:{seconds % 60:00}" : $"{seconds}s";

    internal static string StepTime(double seconds) => seconds >= 1 ? $"{seconds:0}s/step"
        : seconds >= 1e-3 ? $"{seconds * 1e3:0}ms/step" : $"{seconds * 1e6:0}us/step";

    internal static string FormatValue(double v) => Math.Abs(v) > 1e-3 || v == 0
        ? v.ToString("0.0000", CultureInfo.InvariantCulture) : v.ToString("0.0000e+00", CultureInfo.InvariantCulture);

    private static int VisibleLength(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\u001b') { while (i < s.Length && s[i] != 'm') i++; continue; }
            n++;
        }
        return n;
    }
}
