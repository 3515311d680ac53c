namespace SequentialNet.Callbacks;

/// <summary>
/// What Fit returns: per-epoch values of every logged metric (Keras <c>history.history</c>, here
/// <see cref="Metrics"/>) and the epoch numbers (<see cref="Epochs"/>).
/// </summary>
public sealed class History : Callback
{
    private readonly Dictionary<string, List<double>> _metrics = [];
    private readonly List<int> _epochs = [];

    /// <summary>Every metric's per-epoch values, e.g. <c>Metrics["val_loss"]</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Metrics
        => _metrics.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value);

    /// <summary>The epochs trained (0-based), one per entry of each metric list.</summary>
    public IReadOnlyList<int> Epochs => _epochs;

    /// <summary>Per-epoch values of <paramref name="metric"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such metric was logged (the message lists those that were).</exception>
    public IReadOnlyList<double> this[string metric]
        => _metrics.TryGetValue(metric, out var values) ? values
            : throw new KeyNotFoundException($"History has no metric \"{metric}\". Logged: {string.Join(", ", _metrics.Keys)}.");

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        _epochs.Add(epoch);
        foreach (var (name, value) in logs)
        {
            if (!_metrics.TryGetValue(name, out var list)) _metrics[name] = list = [];
            list.Add(value);
        }
    }
}
