using Newtonsoft.Json.Linq;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;

namespace SequentialNet.Saving;

/// <summary>
/// config.json's compile_config: <c>{"optimizer": {"module", "class_name", "config"}, "loss": {…},
/// "metrics": [{…}, …], "weighted_metrics": [{…}, …]}</c>, each object as its GetConfig, rebuilt by constructor
/// (Keras's keys; "weighted_metrics" is written only when there are any, and optional on reading). A model with
/// several outputs writes "loss", "loss_weights", "metrics" and "weighted_metrics" as lists in output order.
/// </summary>
internal static class CompileConfig
{
    /// <summary>The model's compile configuration; a model with several outputs writes lists in output order and "loss_weights".</summary>
    public static JObject Serialize(Model model)
    {
        var optimizer = Entry(Registries.Optimizers, model.Optimizer!, model.Optimizer!.GetConfig(), "the optimizer");
        if (model.Losses.Count <= 1)
        {
            var config = new JObject { ["optimizer"] = optimizer, ["loss"] = LossEntry(model.Loss!), ["metrics"] = Plain(model.CompiledMetrics) };
            if (Weighted(model.CompiledMetrics) is { Count: > 0 } weighted) config["weighted_metrics"] = weighted;
            return config;
        }
        var several = new JObject
        {
            ["optimizer"] = optimizer,
            ["loss"] = new JArray(model.Losses.Select(LossEntry)),
            ["loss_weights"] = new JArray(model.LossWeights),
            ["metrics"] = new JArray(model.OutputMetrics.Select(Plain)),
        };
        if (model.OutputMetrics.Any(m => m.OfType<WeightedMetric>().Any())) several["weighted_metrics"] = new JArray(model.OutputMetrics.Select(Weighted));
        return several;
    }

    private static JArray Plain(IEnumerable<Metric> metrics) => new(metrics.Where(m => m is not WeightedMetric).Select(MetricEntry));

    private static JArray Weighted(IEnumerable<Metric> metrics) => new(metrics.OfType<WeightedMetric>().Select(m => MetricEntry(m.Inner)));

    private static JObject LossEntry(Loss loss) => Entry(Registries.Losses, loss, loss.GetConfig(), "the loss");

    private static JObject MetricEntry(Metric m) => Entry(Registries.Metrics, m, m.GetConfig(), $"metric \"{m.Name}\"");

    /// <summary>The objects of a compile_config: one loss, weight and metric list per output (one of each for a one-output file).</summary>
    public static (Optimizer Optimizer, Loss[] Losses, double[] Weights, Metric[][] Metrics) Deserialize(JObject compile, string where)
    {
        var optimizerEntry = Json.Object(compile, "optimizer", where);
        var optimizer = Create(Registries.Optimizers, optimizerEntry, $"{where}.optimizer");
        ReadEma(optimizer, Json.Object(optimizerEntry, "config", $"{where}.optimizer"), $"{where}.optimizer.config");
        if (Json.Optional(compile, "loss") is not JArray lossList)
        {
            var loss = Create(Registries.Losses, Json.Object(compile, "loss", where), $"{where}.loss");
            var plain = Metrics(Json.Array(compile, "metrics", where), $"{where}.metrics");
            var weightedOnes = compile["weighted_metrics"] is JArray w1 ? Metrics(w1, $"{where}.weighted_metrics") : [];
            // Compile's combined list (weighted ones wrapped and named), which Compile takes back as it is.
            return (optimizer, [loss], [1.0], [WeightedMetric.Combine(plain, weightedOnes)]);
        }
        if (lossList.Count is 0 or > ModelFileFormat.MaxLayers) throw new FormatProblem($"{where}.loss: expected 1 to {ModelFileFormat.MaxLayers} losses. Received: {lossList.Count}.");
        var losses = lossList.Select((l, i) => Create(Registries.Losses, l, $"{where}.loss[{i}]")).ToArray();
        var weights = Json.Array(compile, "loss_weights", where);
        var metrics = Json.Array(compile, "metrics", where);
        if (weights.Count != losses.Length || metrics.Count != losses.Length)
            throw new FormatProblem($"{where}: expected loss_weights and metrics with one entry per loss ({losses.Length}). Received: {weights.Count} and {metrics.Count}.");
        var w = weights.Select((t, i) => t is JValue { Type: JTokenType.Float or JTokenType.Integer } v && double.IsFinite(v.Value<double>()) && v.Value<double>() >= 0 ? v.Value<double>()
            : throw new FormatProblem($"{where}.loss_weights[{i}]: expected a finite number >= 0. Received: {Json.Describe(t)}.")).ToArray();
        var m = metrics.Select((t, i) => Metrics(t as JArray ?? throw new FormatProblem($"{where}.metrics[{i}]: expected a list. Received: {Json.Describe(t)}."), $"{where}.metrics[{i}]")).ToArray();
        if (compile["weighted_metrics"] is JArray weightedLists)
        {
            if (weightedLists.Count != losses.Length) throw new FormatProblem($"{where}.weighted_metrics: expected one list per loss ({losses.Length}). Received: {weightedLists.Count}.");
            for (int o = 0; o < m.Length; o++)
                m[o] = WeightedMetric.Combine(m[o], Metrics(weightedLists[o] as JArray ?? throw new FormatProblem($"{where}.weighted_metrics[{o}]: expected a list. Received: {Json.Describe(weightedLists[o])}."), $"{where}.weighted_metrics[{o}]"));
        }
        return (optimizer, losses, w, m);
    }

    private static Metric[] Metrics(JArray metrics, string where)
    {
        if (metrics.Count > 64) throw new FormatProblem($"{where}: expected at most 64 metrics. Received: {metrics.Count}.");
        return [.. metrics.Select((m, i) => Create(Registries.Metrics, m, $"{where}[{i}]"))];
    }

    /// <summary>Compiles <paramref name="model"/> with objects read by <see cref="Deserialize"/>.</summary>
    public static void Apply(Model model, (Optimizer Optimizer, Loss[] Losses, double[] Weights, Metric[][] Metrics) objects, string? device)
    {
        if (objects.Losses.Length == 1 && objects.Weights[0] == 1.0) model.Compile(objects.Optimizer, objects.Losses[0], objects.Metrics[0], device);
        else model.Compile(objects.Optimizer, (IReadOnlyList<Loss>)objects.Losses, objects.Weights, objects.Metrics, device);
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

    /// <summary>The optimizer's EMA keys (Keras's use_ema, ema_momentum, ema_overwrite_frequency; absent in older files: off), which are properties, not constructor parameters.</summary>
    private static void ReadEma(Optimizer optimizer, JObject config, string where)
    {
        static bool Absent(JToken? t) => t is null || t.Type == JTokenType.Null;
        var use = config["use_ema"];
        if (Absent(use)) return;
        if (use!.Type != JTokenType.Boolean) throw new FormatProblem($"{where}.use_ema: expected a boolean. Received: {Json.Describe(use)}.");
        var momentum = config["ema_momentum"];
        if (!Absent(momentum) && momentum!.Type is not (JTokenType.Float or JTokenType.Integer))
            throw new FormatProblem($"{where}.ema_momentum: expected a number. Received: {Json.Describe(momentum)}.");
        var frequency = config["ema_overwrite_frequency"];
        if (!Absent(frequency) && frequency!.Type != JTokenType.Integer)
            throw new FormatProblem($"{where}.ema_overwrite_frequency: expected an integer or null. Received: {Json.Describe(frequency)}.");
        try
        {
            optimizer.RestoreEma(use.Value<bool>(), Absent(momentum) ? 0.99 : momentum!.Value<double>(), Absent(frequency) ? null : frequency!.Value<int>());
        }
        catch (ArgumentException e) { throw new FormatProblem($"{where}: {e.Message}", e); }
    }

    private static T Create<T>(ObjectRegistry<T> registry, JToken entry, string where) where T : class
    {
        string className = Json.String(entry, "class_name", where);
        string? registered = Json.OptionalString(entry, "registered_name", where);
        return registry.Create(className, registered, Json.Object(entry, "config", where), $"{where} ({className}).config");
    }
}
