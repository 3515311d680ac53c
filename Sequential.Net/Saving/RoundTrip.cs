using Newtonsoft.Json.Linq;
using SequentialNet.Layers;

namespace SequentialNet.Saving;

/// <summary>
/// Save's promise that the file will load: each layer, the optimizer, the loss and the metrics are
/// rebuilt from the config just written (constructors only: nothing is built or allocated) and must give
/// back the same config. A class whose constructor does not take what its GetConfig writes fails here,
/// at save time, with the difference shown, instead of at load time, when the model would be lost.
/// </summary>
internal static class RoundTrip
{
    public static void CheckLayers(Model model, JObject config)
    {
        var entries = (JArray)config["config"]!["layers"]!;
        for (int i = 0; i < entries.Count; i++)
        {
            var layer = model.Layers[i];
            var entry = (JObject)entries[i];
            if (layer is Model inner) { CheckLayers(inner, entry); continue; }
            string what = $"layer {i} (\"{layer.Name}\", {layer.GetType().Name})";
            var copy = Rebuild(() => Registries.Layers.Create((string)entry["class_name"]!, (string?)entry["registered_name"], (JObject)entry["config"]!, what), what);
            copy.Trainable = layer.Trainable;
            Compare(what, layer.GetConfig(), copy.GetConfig());
            if (copy.GetType() != layer.GetType())
                throw new InvalidOperationException($"Save: {what} would load as a {copy.GetType().Name}. Register its class under its own name with LayerRegistry.Register<{layer.GetType().Name}>().");
        }
    }

    public static void CheckCompile(JObject compile, Model model)
    {
        var rebuilt = Rebuild(() => CompileConfig.Deserialize(compile, "compile_config"), "the compile configuration");
        Compare("the optimizer", model.Optimizer!.GetConfig(), rebuilt.Optimizer.GetConfig());
        var losses = model.Losses.Count > 0 ? model.Losses : [model.Loss!];
        var metrics = model.Losses.Count > 1 ? model.OutputMetrics : [model.CompiledMetrics];
        for (int o = 0; o < losses.Count; o++)
        {
            Compare("the loss", losses[o].GetConfig(), rebuilt.Losses[o].GetConfig());
            for (int i = 0; i < metrics[o].Count; i++)
                Compare($"metric \"{metrics[o][i].Name}\"", metrics[o][i].GetConfig(), rebuilt.Metrics[o][i].GetConfig());
        }
    }

    private static T Rebuild<T>(Func<T> rebuild, string what)
    {
        try { return rebuild(); }
        catch (FormatProblem e)
        {
            throw new InvalidOperationException($"Save: {what} cannot be rebuilt from its config, so the file could not be loaded: {e.Message}", e);
        }
    }

    private static void Compare(string what, Dictionary<string, object?> original, Dictionary<string, object?> rebuilt)
    {
        string a = Json.Compact(Json.FromObject(original)), b = Json.Compact(Json.FromObject(rebuilt));
        if (a != b)
            throw new InvalidOperationException($"Save: {what} does not rebuild the same from its config, so the file would not load the same model: expected {a}. Received: {b}. Make the constructor take every GetConfig key (by the same name), or register the layer with a fromConfig function.");
    }
}
