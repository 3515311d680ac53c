using SequentialNet.Losses;
using SequentialNet.Metrics;

namespace SequentialNet;

/// <summary>
/// Compile's loss, loss-weight and metric arguments as the user gave them (once for every output, a list in
/// output order, or a dictionary by output name), resolved against the outputs once they are known.
/// </summary>
internal sealed class CompileSpec
{
    public Loss? SingleLoss { get; init; }
    public IReadOnlyList<Loss>? LossList { get; init; }
    public IReadOnlyDictionary<string, Loss>? LossByName { get; init; }
    public IReadOnlyList<double>? WeightList { get; init; }
    public IReadOnlyDictionary<string, double>? WeightByName { get; init; }
    public Metric[]? SharedMetrics { get; init; }
    public IReadOnlyList<Metric[]>? MetricsList { get; init; }
    public IReadOnlyDictionary<string, Metric[]>? MetricsByName { get; init; }

    /// <summary>Every metric object given, each once, in the order given.</summary>
    public Metric[] AllMetrics()
    {
        IEnumerable<Metric> all = SharedMetrics ?? MetricsList?.SelectMany(m => m ?? []) ?? MetricsByName?.Values.SelectMany(m => m ?? []) ?? [];
        return [.. all.Distinct()];
    }

    /// <summary>Rejects a metric listed twice for one output (their History keys would collide).</summary>
    public void CheckMetrics()
    {
        IEnumerable<Metric[]> lists = SharedMetrics != null ? [SharedMetrics] : MetricsList ?? (IEnumerable<Metric[]>?)MetricsByName?.Values ?? [];
        foreach (var list in lists)
        {
            if (list == null) continue;
            if (list.Any(m => m is null)) throw new ArgumentNullException("metrics", "Compile: a metric is null.");
            var duplicate = list.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null) throw new ArgumentException($"Compile: metric \"{duplicate.Key}\" is listed twice.", "metrics");
        }
    }

    /// <summary>One loss, weight and metric list per output of <paramref name="outputs"/>.</summary>
    /// <exception cref="ArgumentException">A dictionary key names no output, a list has the wrong length, or an output has no loss.</exception>
    public (Loss[] Losses, double[] Weights, IReadOnlyList<Metric>[] Metrics) Resolve(IReadOnlyList<string> outputs)
    {
        int n = outputs.Count;
        var losses = PerOutput("loss", outputs, SingleLoss, LossList, LossByName, null);
        for (int i = 0; i < n; i++)
            if (losses[i] is null)
                throw new ArgumentException($"Compile: expected a loss for every output. Received: none for output \"{outputs[i]}\" (outputs: {List(outputs)}).", "loss");
        var weights = PerOutput("lossWeights", outputs, (double?)null, WeightList?.Select(w => (double?)w).ToList(), WeightByName?.ToDictionary(p => p.Key, p => (double?)p.Value), null);
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = weights[i] ?? 1.0;
            if (!double.IsFinite(result[i]) || result[i] < 0)
                throw new ArgumentException($"Compile: expected finite lossWeights >= 0. Received: {result[i]} for output \"{outputs[i]}\".", "lossWeights");
        }
        var metrics = PerOutput("metrics", outputs, SharedMetrics, MetricsList, MetricsByName, []);
        return ([.. losses!], result, [.. metrics.Select(m => (IReadOnlyList<Metric>)(m ?? []))]);
    }

    private static T?[] PerOutput<T>(string argument, IReadOnlyList<string> outputs, T? shared, IReadOnlyList<T>? list, IReadOnlyDictionary<string, T>? byName, T? missing)
    {
        int n = outputs.Count;
        var result = new T?[n];
        if (list != null)
        {
            if (list.Count != n)
                throw new ArgumentException($"Compile: expected {argument} with one entry per output ({n}: {List(outputs)}). Received: {list.Count} entries.", argument);
            for (int i = 0; i < n; i++) result[i] = list[i];
        }
        else if (byName != null)
        {
            foreach (string key in byName.Keys)
                if (!outputs.Contains(key))
                    throw new ArgumentException($"Compile: {argument} names output \"{key}\", which the model does not have. Expected keys among: {List(outputs)}.", argument);
            for (int i = 0; i < n; i++) result[i] = byName.TryGetValue(outputs[i], out var v) ? v : missing;
        }
        else Array.Fill(result, shared ?? missing);
        return result;
    }

    private static string List(IReadOnlyList<string> names) => string.Join(", ", names.Select(s => $"\"{s}\""));
}
