using System.Text;

namespace SequentialNet.Callbacks;

/// <summary>
/// Writes one row per epoch to a CSV file (Keras <c>keras.callbacks.CSVLogger</c>): the header is "epoch"
/// followed by the logged names in sorted (ordinal) order, taken at the first epoch; the epoch is 0-based
/// and values are written as Python writes floats; a name missing at some epoch is written "NA". As in
/// Keras 3, when the first epoch has no "val_" entries a "val_" column is added for every name (filled with
/// "NA" until validation runs). Rows end in "\r\n" (Python's csv module, RFC 4180); a field holding the
/// separator, a quote or a line break is quoted. The file is flushed after each row and closed at the end
/// of training.
/// </summary>
/// <param name="filename">The CSV file; its folder must exist.</param>
/// <param name="separator">The field separator (default ",").</param>
/// <param name="append">Append to an existing file (the header is written only when the file is empty or
/// missing) instead of overwriting it (default false).</param>
public sealed class CSVLogger(string filename, string separator = ",", bool append = false) : Callback
{
    private StreamWriter? _writer;
    private List<string>? _keys;
    private bool _writeHeader = true;

    /// <summary>The CSV file.</summary>
    public string Filename { get; } = string.IsNullOrEmpty(filename)
        ? throw new ArgumentException("CSVLogger: expected a file name, e.g. \"training.csv\". Received: an empty string.", nameof(filename))
        : filename;
    /// <summary>The field separator.</summary>
    public string Separator { get; } = string.IsNullOrEmpty(separator)
        ? throw new ArgumentException("CSVLogger: expected a separator, e.g. \",\". Received: an empty string.", nameof(separator))
        : separator;
    /// <summary>Whether rows are appended to an existing file.</summary>
    public bool Append { get; } = append;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs)
    {
        _writer?.Dispose();
        _writeHeader = !Append || !File.Exists(Filename) || new FileInfo(Filename).Length == 0;
        _writer = new StreamWriter(Filename, Append, new UTF8Encoding(false));
        _keys = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var writer = _writer ?? throw new InvalidOperationException("CSVLogger: the file is not open; pass the callback to Fit.");
        if (_keys == null)
        {
            _keys = ColumnsFor(logs);
            if (_writeHeader) WriteRow(writer, ["epoch", .. _keys]);
        }
        var row = new List<string>(_keys.Count + 1) { epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var key in _keys) row.Add(logs.TryGetValue(key, out double v) ? PythonFloatRepr.Repr(v) : "NA");
        WriteRow(writer, row);
        writer.Flush();
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs)
    {
        _writer?.Dispose();
        _writer = null;
    }

    private static List<string> ColumnsFor(IReadOnlyDictionary<string, double> logs)
    {
        var keys = logs.Keys.Order(StringComparer.Ordinal).ToList();
        if (keys.Count > 0 && !keys.Any(k => k.StartsWith("val_", StringComparison.Ordinal)))
            keys.AddRange(keys.Select(k => "val_" + k).ToList());
        return keys;
    }

    private void WriteRow(StreamWriter writer, IEnumerable<string> fields)
    {
        writer.Write(string.Join(Separator, fields.Select(Quote)));
        writer.Write("\r\n");
    }

    private string Quote(string field)
        => field.Contains(Separator, StringComparison.Ordinal) || field.IndexOfAny(['"', '\r', '\n']) >= 0
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
