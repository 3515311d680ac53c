namespace SequentialNet.Callbacks;

/// <summary>
/// Saves the model (or only its weights) at the end of every epoch, or only when the monitored value
/// improves (Keras <c>keras.callbacks.ModelCheckpoint</c>). <paramref name="filepath"/> may hold
/// Python-style fields: <c>{epoch}</c> (1-based, as Keras) and any logged value, with format specs, e.g.
/// <c>"ckpt-{epoch:02d}-{val_loss:.2f}.snet"</c>. Saves are atomic (<see cref="Model.Save"/>), so a crash
/// during one never damages the previous checkpoint; folders are created as needed. A model saved at the
/// end of epoch N (file name epoch N) resumes exactly with <c>Model.Load(path).Fit(…, initialEpoch: N)</c>.
/// Only saving once per epoch is supported (Keras's default <c>save_freq="epoch"</c>).
/// </summary>
/// <param name="filepath">Where to save; fields are filled in at each epoch end.</param>
/// <param name="monitor">The logged value that decides "best" (default "val_loss").</param>
/// <param name="verbose">1: print a line at each save or skipped save; 0: silent.</param>
/// <param name="saveBestOnly">Save only when <paramref name="monitor"/> beats the best value so far.</param>
/// <param name="saveWeightsOnly">Save with <see cref="Model.SaveWeights"/> instead of <see cref="Model.Save"/>.</param>
/// <param name="mode">"min", "max" or "auto": min for names ending in "loss", else the compiled metric's direction.</param>
/// <param name="initialValueThreshold">The value to beat at the first epoch with saveBestOnly (default ±infinity).</param>
public sealed class ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool saveBestOnly = false,
    bool saveWeightsOnly = false, string mode = "auto", double? initialValueThreshold = null) : Callback
{
    private bool? _maximize = mode switch
    {
        "min" => false, "max" => true, "auto" => null,
        _ => throw new ArgumentException($"ModelCheckpoint: expected mode \"auto\", \"min\" or \"max\". Received: \"{mode}\".", nameof(mode)),
    };

    /// <summary>The file path template.</summary>
    public string Filepath { get; } = CheckTemplate(filepath);
    /// <summary>The monitored log entry.</summary>
    public string Monitor { get; } = string.IsNullOrEmpty(monitor) ? throw new ArgumentException("ModelCheckpoint: expected a monitor name, e.g. \"val_loss\". Received: an empty string.", nameof(monitor)) : monitor;
    /// <summary>"auto", "min" or "max", as given.</summary>
    public string Mode { get; } = mode;
    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; } = saveBestOnly;
    /// <summary>Whether only the weights are saved.</summary>
    public bool SaveWeightsOnly { get; } = saveWeightsOnly;
    /// <summary>The best monitored value so far (kept across Fit calls, as Keras does); null before the first comparison.</summary>
    public double? Best { get; private set; } = initialValueThreshold;
    /// <summary>The path of the last file written, or null.</summary>
    public string? LastSavedPath { get; private set; }

    /// <summary>Where verbose lines and warnings go (standard output by default).</summary>
    public TextWriter Output { get; set; } = Console.Out;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs)
    {
        if (SaveBestOnly && _maximize == null) _maximize = ResolveDirection();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        string path = FilePathFor(epoch, logs);
        if (!SaveBestOnly)
        {
            if (verbose > 0) Output.WriteLine($"\nEpoch {epoch + 1}: saving model to {path}");
            Write(path);
            return;
        }
        if (!logs.TryGetValue(Monitor, out double current))
        {
            Output.WriteLine($"ModelCheckpoint: can save the best model only with \"{Monitor}\" available, skipping. Logged: {string.Join(", ", logs.Keys)}.");
            return;
        }
        bool maximize = _maximize ??= ResolveDirection();
        double best = Best ?? (maximize ? double.NegativeInfinity : double.PositiveInfinity);
        if (maximize ? current > best : current < best)
        {
            if (verbose > 0) Output.WriteLine($"\nEpoch {epoch + 1}: {Monitor} improved from {Fixed5(best)} to {Fixed5(current)}, saving model to {path}");
            Best = current;
            Write(path);
        }
        else if (verbose > 0) Output.WriteLine($"\nEpoch {epoch + 1}: {Monitor} did not improve from {Fixed5(best)}");
    }

    /// <summary>The file name for the end of <paramref name="epoch"/> (0-based; written 1-based, as Keras).</summary>
    /// <exception cref="KeyNotFoundException">The path names a value that is not logged.</exception>
    public string FilePathFor(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        try
        {
            return PythonFormat.Format(Filepath, name => name == "epoch" ? epoch + 1 : logs.TryGetValue(name, out double v) ? v : null);
        }
        catch (KeyNotFoundException e)
        {
            throw new KeyNotFoundException($"ModelCheckpoint: the filepath \"{Filepath}\" names {{{e.Message}}}, which is not logged. Expected one of: epoch, {string.Join(", ", logs.Keys)}.", e);
        }
        catch (FormatException e)
        {
            throw new FormatException($"ModelCheckpoint: cannot format the filepath \"{Filepath}\": {e.Message}", e);
        }
    }

    private void Write(string path)
    {
        var model = Model ?? throw new InvalidOperationException("ModelCheckpoint: no model is set; pass the callback to Fit.");
        if (SaveWeightsOnly) model.SaveWeights(path);
        else model.Save(path);
        LastSavedPath = path;
    }

    private bool ResolveDirection()
    {
        string name = Monitor.StartsWith("val_", StringComparison.Ordinal) ? Monitor[4..] : Monitor;
        if (name.EndsWith("loss", StringComparison.Ordinal)) return false;
        var metric = Model?.MetricLoggedAs(name);
        if (metric != null) return metric.Direction == "max";
        throw new ArgumentException($"ModelCheckpoint: cannot tell whether monitor=\"{Monitor}\" should be maximized or minimized. Pass mode: \"max\" to keep the highest value, or mode: \"min\" for the lowest.");
    }

    private static string Fixed5(double value) => PythonFormat.FormatValue(value, ".5f");

    private static string CheckTemplate(string filepath)
    {
        if (string.IsNullOrEmpty(filepath)) throw new ArgumentException("ModelCheckpoint: expected a filepath, e.g. \"ckpt-{epoch:02d}.snet\". Received: an empty string.", nameof(filepath));
        try { PythonFormat.Fields(filepath); }
        catch (FormatException e) { throw new ArgumentException($"ModelCheckpoint: expected a filepath with Python-style fields such as {{epoch:02d}}. Received: \"{filepath}\" ({e.Message})", nameof(filepath), e); }
        return filepath;
    }
}
