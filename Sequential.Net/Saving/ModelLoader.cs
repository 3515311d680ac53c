using Newtonsoft.Json.Linq;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;

namespace SequentialNet.Saving;

/// <summary>
/// Load in two phases. Inside the file: read and check everything (config, weights into a fresh model,
/// optimizer state into memory), so every file problem is a <see cref="ModelFormatException"/>. Then
/// compile and put the optimizer state on the device, where errors (an unusable device) are the
/// caller's, not the file's.
/// </summary>
internal static class ModelLoader
{
    private sealed record Loaded(Model Model, (Optimizer, Loss[], double[], Metric[][])? Compile, ulong? Seed, long Iterations, List<float[]> Slots, Dictionary<string, float>? Scalars = null);

    public static Model Load(string path, bool compile, string? device)
    {
        var loaded = ModelFileReader.Run(path, reader => Read(reader, compile));
        var model = loaded.Model;
        try
        {
            model.RestoredSeed = loaded.Seed;
            if (loaded.Compile is { } objects)
            {
                CompileConfig.Apply(model, objects, device);
                TrainingState.Restore(model, loaded.Iterations, loaded.Slots, loaded.Scalars);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static Loaded Read(ModelFileReader reader, bool compile)
    {
        if (reader.Kind != ModelFileFormat.ModelContents)
            throw new FormatProblem($"expected a model file (written by Model.Save). Received: a {reader.Kind} file (written by SaveWeights): load it into a model of the same architecture with model.LoadWeights(path).");
        var config = reader.ReadJson(ModelFileFormat.Config, JsonLimits.Config);
        var (_, weights) = reader.ReadManifest(ModelFileFormat.WeightsManifest, ModelFileFormat.WeightsData);
        Model model;
        using (WeightBudget.Limit(weights.Sum(t => (long)t.Count)))
            model = ModelConfig.Deserialize(config, ModelFileFormat.Config);
        try
        {
            var variables = model.Weights;
            CheckWeights(weights, variables, exactNames: true);
            reader.ReadTensors(ModelFileFormat.WeightsData, weights, i => variables[i].Value);
            if (Json.Optional(config, "compile_config") is not JObject compileConfig) return new Loaded(model, null, null, 0, []);
            var objects = CompileConfig.Deserialize(compileConfig, $"{ModelFileFormat.Config}: compile_config");
            if (!reader.Has(ModelFileFormat.OptimizerManifest)) return new Loaded(model, compile ? objects : null, null, 0, []);
            var (iterations, seed, slots, scalars) = TrainingState.ReadManifest(reader, model, objects.Optimizer);
            if (!compile) return new Loaded(model, null, seed, 0, []);
            var values = slots.Select(t => new float[t.Count]).ToList();
            reader.ReadTensors(ModelFileFormat.OptimizerData, slots, i => values[i]);
            return new Loaded(model, objects, seed, iterations, values, scalars);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The weights of a weights or model file, checked against <paramref name="model"/> by order and shape.</summary>
    public static Tensor[] ReadWeights(string path, Model model) => ModelFileReader.Run(path, reader =>
    {
        var (_, entries) = reader.ReadManifest(ModelFileFormat.WeightsManifest, ModelFileFormat.WeightsData);
        var variables = model.Weights;
        CheckWeights(entries, variables, exactNames: false);
        var values = entries.Select(t => new float[t.Count]).ToArray();
        reader.ReadTensors(ModelFileFormat.WeightsData, entries, i => values[i]);
        return values.Select((v, i) => new Tensor(v, variables[i].Shape)).ToArray();
    });

    /// <summary>A model from JSON text or a config dictionary, with errors naming "model JSON".</summary>
    public static Model FromConfigJson(Func<JObject> parse)
    {
        try
        {
            var root = parse();
            if (!root.ContainsKey("class_name"))
                root = new JObject { ["class_name"] = root.ContainsKey("input_layers") ? ModelConfig.FunctionalClass : ModelConfig.SequentialClass, ["config"] = root };
            return ModelConfig.Deserialize(root, "model JSON");
        }
        catch (FormatProblem e) { throw new ModelFormatException("", e.Message, e.InnerException); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException or NotSupportedException or OutOfMemoryException)
        {
            throw new ModelFormatException("", $"model JSON: the config does not describe a model this process can build: {e.Message}", e);
        }
    }

    private static void CheckWeights(List<TensorEntry> entries, IReadOnlyList<Variable> variables, bool exactNames)
    {
        if (entries.Count != variables.Count)
            throw new FormatProblem($"{ModelFileFormat.WeightsManifest}: expected {variables.Count} weights (the model's: {string.Join(", ", variables.Take(8).Select(v => v.Name))}{(variables.Count > 8 ? ", …" : "")}). Received: {entries.Count} tensors.");
        for (int i = 0; i < entries.Count; i++)
        {
            var (entry, variable) = (entries[i], variables[i]);
            bool nameOk = !exactNames || entry.Name == variable.Name;
            if (!nameOk || !entry.Shape.AsSpan().SequenceEqual(variable.Shape))
                throw new FormatProblem($"{ModelFileFormat.WeightsManifest}: weight {i} does not fit the model: expected \"{variable.Name}\" of shape {Tensor.FormatShape(variable.Shape)}. Received: \"{entry.Name}\" of shape {Tensor.FormatShape(entry.Shape)}.");
        }
    }
}
