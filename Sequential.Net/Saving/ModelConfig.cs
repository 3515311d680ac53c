using Newtonsoft.Json.Linq;
using SequentialNet.Layers;

namespace SequentialNet.Saving;

/// <summary>
/// config.json, Keras-style: <c>{"module", "class_name": "Sequential", "registered_name", "config":
/// {"name", "layers": [{"module", "class_name", "registered_name", "config", "build_config"}, …],
/// "build_input_shape"}, "compile_config": {…}}</c>. Shapes that carry a batch axis write it as null.
/// </summary>
internal static class ModelConfig
{
    public const string SequentialClass = "Sequential";

    /// <summary>The model's config (without compile_config).</summary>
    public static JObject Serialize(Model model)
    {
        if (model is not Sequential)
            throw new NotSupportedException($"Save: expected a Sequential model. Received: {model.GetType().Name}; only Sequential models can be saved so far.");
        var layers = new JArray(model.Layers.Select((l, i) => LayerEntry(l, i)));
        var config = new JObject { ["name"] = model.Name, ["layers"] = layers };
        if (model.InputShape != null && model.OutputShape != null) config["build_input_shape"] = BatchShape(model.InputShape);
        return new JObject
        {
            ["module"] = "SequentialNet", ["class_name"] = SequentialClass, ["registered_name"] = null, ["config"] = config,
        };
    }

    /// <summary>One layer's entry: names, its GetConfig plus its declared input shape, and how it was built.</summary>
    public static JObject LayerEntry(Layer layer, int index)
    {
        var (className, registeredName) = Registries.Layers.NameOf(layer, $"layer {index} (\"{layer.Name}\")");
        var config = (JObject)Json.FromObject(layer.GetConfig());
        if (layer.InputShape != null) config["input_shape"] = new JArray(layer.InputShape);
        var entry = new JObject
        {
            ["module"] = layer.GetType().Namespace, ["class_name"] = className, ["registered_name"] = registeredName, ["config"] = config,
        };
        if (layer.BuiltInputShape is { } built) entry["build_config"] = new JObject { ["input_shape"] = BatchShape(built) };
        return entry;
    }

    /// <summary>Rebuilds the model a config describes (built when it has a build_input_shape, with fresh weights; not compiled).</summary>
    public static Sequential Deserialize(JObject root, string where)
    {
        string className = Json.String(root, "class_name", where);
        if (className != SequentialClass)
            throw new FormatProblem($"{where}: expected class_name \"{SequentialClass}\". Received: \"{className}\".");
        var config = Json.Object(root, "config", where);
        var entries = Json.Array(config, "layers", $"{where}: config");
        if (entries.Count > ModelFileFormat.MaxLayers)
            throw new FormatProblem($"{where}: expected at most {ModelFileFormat.MaxLayers} layers. Received: {entries.Count}.");
        var layers = entries.Select((e, i) => CreateLayer(e, $"{where}: layers[{i}]")).ToList();
        var model = Fail.Wrap(() => new Sequential(layers, Json.String(config, "name", $"{where}: config")), $"{where}: config");
        if (Json.Optional(config, "build_input_shape") is { } shape)
        {
            int[] inputShape = Json.BatchShape(shape, $"{where}: config.build_input_shape");
            Fail.Wrap(() => model.Build(inputShape), $"{where}: the model cannot be built for input shape {Tensor.FormatShape(inputShape)}");
        }
        return model;
    }

    private static Layer CreateLayer(JToken entry, string where)
    {
        string className = Json.String(entry, "class_name", where);
        string? registered = Json.OptionalString(entry, "registered_name", where);
        var config = Json.Object(entry, "config", where);
        var layer = Registries.Layers.Create(className, registered, config, $"{where} ({className}).config");
        if (Json.Optional(config, "trainable") is { } trainable)
            layer.Trainable = trainable.Type == JTokenType.Boolean ? trainable.Value<bool>()
                : throw new FormatProblem($"{where}.config: expected \"trainable\" to be true or false. Received: {Json.Describe(trainable)}.");
        return layer;
    }

    private static JArray BatchShape(int[] shape) => new([JValue.CreateNull(), .. shape.Select(d => (JToken)d)]);
}
