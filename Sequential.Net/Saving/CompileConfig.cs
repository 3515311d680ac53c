using Newtonsoft.Json.Linq;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;

namespace SequentialNet.Saving;

/// <summary>
/// config.json's compile_config: <c>{"optimizer": {"module", "class_name", "config"}, "loss": {…},
/// "metrics": [{…}, …]}</c>, each object as its GetConfig, rebuilt by constructor.
/// </summary>
internal static class CompileConfig
{
    public static JObject Serialize(Optimizer optimizer, Loss loss, IReadOnlyList<Metric> metrics) => new()
    {
        ["optimizer"] = Entry(Registries.Optimizers, optimizer, optimizer.GetConfig(), "the optimizer"),
        ["loss"] = Entry(Registries.Losses, loss, loss.GetConfig(), "the loss"),
        ["metrics"] = new JArray(metrics.Select(m => Entry(Registries.Metrics, m, m.GetConfig(), $"metric \"{m.Name}\""))),
    };

    public static (Optimizer Optimizer, Loss Loss, Metric[] Metrics) Deserialize(JObject compile, string where)
    {
        var optimizer = Create(Registries.Optimizers, Json.Object(compile, "optimizer", where), $"{where}.optimizer");
        var loss = Create(Registries.Losses, Json.Object(compile, "loss", where), $"{where}.loss");
        var metrics = Json.Array(compile, "metrics", where);
        if (metrics.Count > 64) throw new FormatProblem($"{where}.metrics: expected at most 64 metrics. Received: {metrics.Count}.");
        return (optimizer, loss, metrics.Select((m, i) => Create(Registries.Metrics, m, $"{where}.metrics[{i}]")).ToArray());
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
