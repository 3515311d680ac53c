namespace SequentialNet.Callbacks;

/// <summary>The "auto"/"min"/"max" handling shared by the callbacks that watch a logged value.</summary>
internal static class MonitorMode
{
    /// <summary>Checks <paramref name="mode"/>; true: maximize, false: minimize, null: "auto" (decided later).</summary>
    public static bool? Parse(string who, string mode) => mode switch
    {
        "min" => false,
        "max" => true,
        "auto" => null,
        _ => throw new ArgumentException($"{who}: expected mode \"auto\", \"min\" or \"max\". Received: \"{mode}\".", nameof(mode)),
    };

    /// <summary>Checks that a monitor name was given.</summary>
    public static string CheckMonitor(string who, string monitor)
        => string.IsNullOrEmpty(monitor)
            ? throw new ArgumentException($"{who}: expected a monitor name, e.g. \"val_loss\". Received: an empty string.", nameof(monitor))
            : monitor;

    /// <summary>
    /// Keras's "auto" direction: minimize names ending in "loss" (with or without "val_"), else the direction
    /// of the compiled metric logged under that name (with several outputs, "{output}_{metric}").
    /// </summary>
    /// <exception cref="ArgumentException">Neither applies.</exception>
    public static bool ResolveMaximize(string who, string monitor, Model? model)
    {
        string name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor;
        if (name.EndsWith("loss", StringComparison.Ordinal)) return false;
        var metric = model?.MetricLoggedAs(name);
        if (metric != null) return metric.Direction == "max";
        throw new ArgumentException($"{who}: cannot tell whether monitor=\"{monitor}\" should be maximized or minimized. Pass mode: \"max\" to use the highest value, or mode: \"min\" for the lowest.");
    }

    /// <summary>A warning line for a monitored value that is not in the logs (Keras warns, it does not fail).</summary>
    public static string MissingWarning(string what, string monitor, IReadOnlyDictionary<string, double> logs)
        => $"{what} is conditioned on metric `{monitor}` which is not available. Available metrics are: {string.Join(",", logs.Keys)}.";
}
