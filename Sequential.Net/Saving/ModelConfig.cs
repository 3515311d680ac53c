using Newtonsoft.Json.Linq;
using SequentialNet.Layers;

namespace SequentialNet.Saving;

/// <summary>
/// config.json, Keras-style. A Sequential: <c>{"module", "class_name": "Sequential", "registered_name",
/// "config": {"name", "layers": [{"module", "class_name", "registered_name", "config", "build_config"}, …],
/// "build_input_shape"}}</c> (format version 1, unchanged). A functional model: <c>"class_name": "Functional"</c>
/// with <c>"layers"</c> (the input layers first, each entry with its <c>"name"</c> and <c>"inbound_nodes"</c>:
/// per call, the list of the tensors it was applied to, each <c>[layer_name, node_index, tensor_index]</c>),
/// <c>"input_layers"</c>, <c>"output_layers"</c> and, when given as dictionary keys, <c>"input_names"</c> /
/// <c>"output_names"</c>. A model used as a layer is written as its own entry, recursively. Shapes that carry a
/// batch axis write it as null.
/// </summary>
internal static class ModelConfig
{
    public const string SequentialClass = "Sequential";
    public const string FunctionalClass = "Functional";

    /// <summary>Deepest nesting of models inside models that a file may declare.</summary>
    public const int MaxNesting = 64;

    /// <summary>The model's config (without compile_config).</summary>
    public static JObject Serialize(Model model) => model is Sequential sequential ? SerializeSequential(sequential) : SerializeFunctional(model);

    private static JObject SerializeSequential(Sequential model)
    {
        bool built = model.HasGraph;      // builds a Sequential whose input shape is known, before its layers are described
        var layers = new JArray(model.Layers.Select((l, i) => LayerEntry(l, i)));
        var config = new JObject { ["name"] = model.Name, ["layers"] = layers };
        if (built) config["build_input_shape"] = BatchShape(model.InputShape!);
        return Root(SequentialClass, config, model);
    }

    private static JObject SerializeFunctional(Model model)
    {
        var graph = model.Graph;
        var nodesOf = graph.Nodes.GroupBy(n => n.Layer).ToDictionary(g => g.Key, g => g.ToList());
        JArray Ref(KerasTensor t) => t.Producer is CallNode p
            ? new JArray(p.Layer.Name, nodesOf[p.Layer].IndexOf(p), t.OutputIndex)
            : new JArray(((Input)t).Layer.Name, 0, 0);
        var layers = new JArray();
        for (int i = 0; i < graph.Layers.Length; i++)
        {
            var layer = graph.Layers[i];
            var entry = LayerEntry(layer, i);
            entry["name"] = layer.Name;
            var calls = nodesOf.GetValueOrDefault(layer) ?? [];
            entry["inbound_nodes"] = new JArray(calls.Select(c => new JArray(c.Inputs.Select(Ref))));
            layers.Add(entry);
        }
        var config = new JObject
        {
            ["name"] = model.Name, ["trainable"] = model.Trainable, ["layers"] = layers,
            ["input_layers"] = new JArray(graph.Inputs.Select(Ref)), ["output_layers"] = new JArray(graph.Outputs.Select(Ref)),
            ["input_names"] = new JArray(model.InputNames), ["output_names"] = new JArray(model.OutputNames),
        };
        return Root(FunctionalClass, config, model);
    }

    private static JObject Root(string className, JObject config, Model model) => new()
    {
        ["module"] = "SequentialNet", ["class_name"] = className,
        ["registered_name"] = null, ["config"] = config,
    };

    /// <summary>One layer's entry: names, its GetConfig plus its declared input shape, and how it was built; a model's own config.</summary>
    public static JObject LayerEntry(Layer layer, int index)
    {
        if (layer is Model inner) return Serialize(inner);
        var (className, registeredName) = Registries.Layers.NameOf(layer, $"layer {index} (\"{layer.Name}\")");
        var config = (JObject)Json.FromObject(layer.GetConfig());
        if (layer.InputShape != null && layer is not InputLayer) config["input_shape"] = new JArray(layer.InputShape);
        var entry = new JObject
        {
            ["module"] = layer.GetType().Namespace, ["class_name"] = className, ["registered_name"] = registeredName, ["config"] = config,
        };
        if (layer.BuiltInputShape is { } built && layer is not Merge) entry["build_config"] = new JObject { ["input_shape"] = BatchShape(built) };
        return entry;
    }

    /// <summary>Rebuilds the model a config describes (built when its shapes are known, with fresh weights; not compiled).</summary>
    public static Model Deserialize(JObject root, string where, int depth = 0)
    {
        if (depth > MaxNesting) throw new FormatProblem($"{where}: models nested more than {MaxNesting} deep.");
        string className = Json.String(root, "class_name", where);
        return className switch
        {
            SequentialClass => DeserializeSequential(root, where, depth),
            FunctionalClass => FunctionalConfig.Deserialize(root, where, depth),
            _ => throw new FormatProblem($"{where}: expected class_name \"{SequentialClass}\" or \"{FunctionalClass}\". Received: \"{className}\"."),
        };
    }

    private static Sequential DeserializeSequential(JObject root, string where, int depth)
    {
        var config = Json.Object(root, "config", where);
        var entries = Json.Array(config, "layers", $"{where}: config");
        if (entries.Count > ModelFileFormat.MaxLayers)
            throw new FormatProblem($"{where}: expected at most {ModelFileFormat.MaxLayers} layers. Received: {entries.Count}.");
        var layers = entries.Select((e, i) => CreateLayer(e, $"{where}: layers[{i}]", depth)).ToList();
        var model = Fail.Wrap(() => new Sequential(layers, Json.String(config, "name", $"{where}: config")), $"{where}: config");
        if (Json.Optional(config, "build_input_shape") is { } shape)
        {
            int[] inputShape = Json.BatchShape(shape, $"{where}: config.build_input_shape");
            Fail.Wrap(() => model.Build(inputShape), $"{where}: the model cannot be built for input shape {Tensor.FormatShape(inputShape)}");
        }
        return model;
    }

    /// <summary>A layer (or a model used as a layer) from its entry.</summary>
    public static Layer CreateLayer(JToken entry, string where, int depth)
    {
        string className = Json.String(entry, "class_name", where);
        if (className is SequentialClass or FunctionalClass)
        {
            if (entry is not JObject model) throw new FormatProblem($"{where}: expected an object. Received: {Json.Describe(entry)}.");
            return Deserialize(model, where, depth + 1);
        }
        string? registered = Json.OptionalString(entry, "registered_name", where);
        var config = Json.Object(entry, "config", where);
        var layer = Registries.Layers.Create(className, registered, config, $"{where} ({className}).config");
        if (Json.Optional(config, "trainable") is { } trainable)
            layer.Trainable = trainable.Type == JTokenType.Boolean ? trainable.Value<bool>()
                : throw new FormatProblem($"{where}.config: expected \"trainable\" to be true or false. Received: {Json.Describe(trainable)}.");
        return layer;
    }

    public static JArray BatchShape(int[] shape) => new([JValue.CreateNull(), .. shape.Select(d => (JToken)d)]);
}
