using Newtonsoft.Json.Linq;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;

namespace SequentialNet.Saving;

/// <summary>
/// config.json's compile_config: <c>{"optimizer": {"module", "class_name", "config"}, "loss": {…},
/// "metrics": [{…}, …], "weighted_metrics": [{…}, …]}</c>, each object as its GetConfig, rebuilt by constructor
/// (Keras's keys; "weighted_metrics" is written only when there are any, and optional on reading).
/// </summary>
internal static class CompileConfig
{
    public static JObject Serialize(Optimizer optimizer, Loss loss, IReadOnlyList<Metric> metrics)
    {
        var config = new JObject
        {
            ["optimizer"] = Entry(Registries.Optimizers, optimizer, optimizer.GetConfig(), "the optimizer"),
            ["loss"] = Entry(Registries.Losses, loss, loss.GetConfig(), "the loss"),
            ["metrics"] = Entries(metrics.Where(m => m is not WeightedMetric)),
        };
        var weighted = metrics.OfType<WeightedMetric>().Select(m => m.Inner).ToList();
        if (weighted.Count > 0) config["weighted_metrics"] = Entries(weighted);
        return config;
    }

    private static JArray Entries(IEnumerable<Metric> metrics)
        => new(metrics.Select(m => Entry(Registries.Metrics, m, m.GetConfig(), $"metric \"{m.Name}\"")));

    public static (Optimizer Optimizer, Loss Loss, Metric[] Metrics) Deserialize(JObject compile, string where)
    {
        var optimizer = Create(Registries.Optimizers, Json.Object(compile, "optimizer", where), $"{where}.optimizer");
        var loss = Create(Registries.Losses, Json.Object(compile, "loss", where), $"{where}.loss");
        Metric[] metrics = MetricList(compile, "metrics", where, optional: false);
        Metric[] weighted = MetricList(compile, "weighted_metrics", where, optional: true);
        // Compile's combined list (weighted ones wrapped and named), which Compile takes back as it is.
        return (optimizer, loss, WeightedMetric.Combine(metrics, weighted));
    }

    private static Metric[] MetricList(JObject compile, string key, string where, bool optional)
    {
        if (optional && compile[key] is null or { Type: JTokenType.Null }) return [];
        var list = Json.Array(compile, key, where);
        if (list.Count > 64) throw new FormatProblem($"{where}.{key}: expected at most 64 metrics. Received: {list.Count}.");
        return [.. list.Select((m, i) => Create(Registries.Metrics, m, $"{where}.{key}[{i}]"))];
    }

    private static JObject Entry<T>(ObjectRegistry<T> registry, T value, Dictionary<string, object?> config, string what) where T : class
    {
        var (className, registeredName) = registry.NameOf(value, what);
        return new JObject
        {
            ["module"] = value.GetType().Namespace, ["class_name"] = className, ["registered_name"] = registeredName,
            ["config"] = Json.FromObject(config),
        };
    }

    private static T Create<T>(ObjectRegistry<T> registry, JToken entry, string where) where T : class
    {
        string className = Json.String(entry, "class_name", where);
        string? registered = Json.OptionalString(entry, "registered_name", where);
        return registry.Create(className, registered, Json.Object(entry, "config", where), $"{where} ({className}).config");
    }
}
