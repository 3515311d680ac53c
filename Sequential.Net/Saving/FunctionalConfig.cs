using Newtonsoft.Json.Linq;
using SequentialNet.Layers;

namespace SequentialNet.Saving;

/// <summary>
/// Rebuilds a functional model from its config (see <see cref="ModelConfig"/>): creates every layer, then
/// replays the recorded calls, each as soon as the tensors it reads exist (a shared layer's second call may
/// read a layer listed after it), and makes the model from the named inputs and outputs. The model's own
/// walk then orders the calls exactly as the saved model did.
/// </summary>
internal static class FunctionalConfig
{
    private sealed record Call(Layer Layer, int NodeIndex, JArray Args, string Where);

    public static Model Deserialize(JObject root, string where, int depth)
    {
        var config = Json.Object(root, "config", where);
        string name = Json.String(config, "name", $"{where}: config");
        var entries = Json.Array(config, "layers", $"{where}: config");
        if (entries.Count > ModelFileFormat.MaxLayers)
            throw new FormatProblem($"{where}: expected at most {ModelFileFormat.MaxLayers} layers. Received: {entries.Count}.");
        var layers = new Dictionary<string, Layer>(StringComparer.Ordinal);
        var tensors = new Dictionary<(string, int, int), KerasTensor>();
        var pending = new List<Call>();
        for (int i = 0; i < entries.Count; i++)
        {
            string at = $"{where}: layers[{i}]";
            var layer = ModelConfig.CreateLayer(entries[i], at, depth);
            string layerName = Json.String(entries[i], "name", at);
            if (layerName != layer.Name)
                throw new FormatProblem($"{at}: expected \"name\" to match the layer's config name \"{layer.Name}\". Received: \"{layerName}\".");
            if (!layers.TryAdd(layer.Name, layer)) throw new FormatProblem($"{at}: a second layer named \"{layer.Name}\".");
            if (layer is InputLayer input) tensors[(input.Name, 0, 0)] = input.Output;
            var nodes = Json.Optional(entries[i], "inbound_nodes") as JArray ?? [];
            for (int k = 0; k < nodes.Count; k++)
                pending.Add(new Call(layer, k, nodes[k] as JArray ?? throw new FormatProblem($"{at}.inbound_nodes[{k}]: expected a list of tensors. Received: {Json.Describe(nodes[k])}."), $"{at}.inbound_nodes[{k}]"));
        }
        Replay(pending, tensors, where);
        var inputs = References(config, "input_layers", tensors, where);
        var outputs = References(config, "output_layers", tensors, where);
        var outputNames = Names(config, "output_names", outputs.Length, where);
        var inputNames = Names(config, "input_names", inputs.Length, where);
        bool defaultNames = (inputNames == null || inputNames.SequenceEqual(inputs.Select(t => t.Name)))
            && (outputNames == null || outputNames.SequenceEqual(outputs.Select(o => o.Producer?.Layer.Name ?? o.Name)));
        var model = Fail.Wrap(() => defaultNames ? new Model(inputs, outputs, name)
            : new Model(Keyed(inputNames ?? [.. inputs.Select(t => t.Name)], inputs), Keyed(outputNames ?? [.. outputs.Select(o => o.Name)], outputs), name), $"{where}: config");
        if (Json.Optional(config, "trainable") is JValue { Type: JTokenType.Boolean } trainable && !trainable.Value<bool>()) model.Trainable = false;
        return model;
    }

    /// <summary>Applies each call once every tensor it reads exists; a pass that applies nothing means a reference to nothing.</summary>
    private static void Replay(List<Call> pending, Dictionary<(string, int, int), KerasTensor> tensors, string where)
    {
        var applied = new HashSet<(string, int)>();
        while (pending.Count > 0)
        {
            var waiting = new List<Call>();
            foreach (var call in pending)
            {
                var args = new KerasTensor[call.Args.Count];
                bool ready = call.NodeIndex == 0 || applied.Contains((call.Layer.Name, call.NodeIndex - 1));   // a layer's calls in their order
                for (int a = 0; a < args.Length && ready; a++)
                    ready = tensors.TryGetValue(Reference(call.Args[a], $"{call.Where}[{a}]"), out args[a]!);
                if (!ready) { waiting.Add(call); continue; }
                var outputs = Fail.Wrap(() => call.Layer.ApplyAll(args), $"{call.Where}: layer \"{call.Layer.Name}\"");
                for (int o = 0; o < outputs.Length; o++) tensors[(call.Layer.Name, call.NodeIndex, o)] = outputs[o];
                applied.Add((call.Layer.Name, call.NodeIndex));
            }
            if (waiting.Count == pending.Count)
                throw new FormatProblem($"{waiting[0].Where}: the call of layer \"{waiting[0].Layer.Name}\" reads a tensor that no layer makes ({Json.Compact(waiting[0].Args)}).");
            pending = waiting;
        }
    }

    private static (string, int, int) Reference(JToken token, string where)
    {
        if (token is not JArray { Count: 3 } r || r[0].Type != JTokenType.String || r[1].Type != JTokenType.Integer || r[2].Type != JTokenType.Integer
            || (long)r[1]! is < 0 or > int.MaxValue || (long)r[2]! is < 0 or > int.MaxValue)
            throw new FormatProblem($"{where}: expected a tensor reference [layer_name, node_index, tensor_index]. Received: {Json.Describe(token)}.");
        return ((string)r[0]!, (int)(long)r[1]!, (int)(long)r[2]!);
    }

    private static KerasTensor[] References(JObject config, string key, Dictionary<(string, int, int), KerasTensor> tensors, string where)
    {
        var list = Json.Array(config, key, $"{where}: config");
        return [.. list.Select((t, i) => tensors.TryGetValue(Reference(t, $"{where}: config.{key}[{i}]"), out var tensor) ? tensor
            : throw new FormatProblem($"{where}: config.{key}[{i}] names a tensor that no layer makes ({Json.Compact(t)})."))];
    }

    private static string[]? Names(JObject config, string key, int count, string where)
    {
        if (Json.Optional(config, key) is not JArray names) return null;
        if (names.Count != count || names.Any(n => n.Type != JTokenType.String))
            throw new FormatProblem($"{where}: config.{key}: expected {count} strings. Received: {Json.Describe(names)}.");
        return [.. names.Select(n => (string)n!)];
    }

    private static Dictionary<string, KerasTensor> Keyed(string[] names, KerasTensor[] tensors)
    {
        var result = new Dictionary<string, KerasTensor>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
            if (!result.TryAdd(names[i], tensors[i])) throw new FormatProblem($"the name \"{names[i]}\" is given to two tensors.");
        return result;
    }
}
