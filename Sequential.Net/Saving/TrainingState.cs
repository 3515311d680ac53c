using System.Globalization;
using Newtonsoft.Json.Linq;
using SequentialNet.Backends;
using SequentialNet.Optimizers;

namespace SequentialNet.Saving;

/// <summary>
/// Reads the optimizer state out of a compiled model for saving, and puts it back after loading: slot
/// tensors per trainable weight (the device's flat slot buffers, cut at each weight's offset, so the file
/// does not depend on a backend's padding or memory), the iteration count and the model's seed.
/// </summary>
internal static class TrainingState
{
    /// <summary>Slot names as Keras calls the optimizer variables; "slot_N" for optimizers without a known name.</summary>
    public static string[] SlotNames(Optimizer optimizer, int count)
        => optimizer.StateSlotNames is { } names && names.Length == count ? names : [.. Enumerable.Range(0, count).Select(i => $"slot_{i}")];

    /// <summary>The trainable weights in the order of the optimizer's flat buffers.</summary>
    public static List<Variable> TrainableWeights(Model model)
        => [.. model.TrainableWeights];

    /// <summary>
    /// The optimizer's state: read from the device when the model is compiled and built, else what the
    /// optimizer object holds (after Dispose, or before the first build).
    /// </summary>
    public static OptimizerState Capture(Model model)
    {
        var optimizer = model.Optimizer!;
        string className = Registries.Optimizers.NameOf(optimizer, "the optimizer").ClassName;
        var compiled = model.CompiledState;
        ulong seed = compiled?.State.Seed ?? model.RestoredSeed ?? Utils.Seed;
        compiled?.SaveOptimizerState();
        var weights = model.HasGraph ? TrainableWeights(model) : [];
        bool haveSlots = optimizer.StateSlotCount > 0 && weights.Count > 0 && weights.All(optimizer.SlotValues.ContainsKey);
        var names = SlotNames(optimizer, optimizer.StateSlotCount);
        var slots = new List<NamedTensor>();
        if (haveSlots)
            for (int s = 0; s < optimizer.StateSlotCount; s++)
                foreach (var v in weights) slots.Add(new NamedTensor($"{names[s]}/{v.Name}", v.Shape, optimizer.SlotValues[v][s]));
        var scalars = new Dictionary<string, float>(optimizer.ScalarValues, StringComparer.Ordinal);
        return new OptimizerState(className, optimizer.Iterations, seed, names, slots, scalars);
    }

    /// <summary>Reads optimizer.json and checks its slot tensors against the model and optimizer; returns the state with the tensors still to read.</summary>
    public static (long Iterations, ulong Seed, List<TensorEntry> Slots, Dictionary<string, float> Scalars) ReadManifest(ModelFileReader reader, Model model, Optimizer optimizer)
    {
        const string where = ModelFileFormat.OptimizerManifest;
        var (json, slots) = reader.ReadManifest(where, ModelFileFormat.OptimizerData);
        long iterations = Json.Long(json, "iterations", where, 0, int.MaxValue);
        string seedText = Json.String(json, "seed", where);
        if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            throw new FormatProblem($"{where}: expected \"seed\" to be an unsigned 64-bit integer in decimal. Received: \"{seedText}\".");
        var scalars = ReadScalars(json, optimizer, iterations);
        if (slots.Count == 0) return (iterations, seed, slots, scalars);
        if (!model.HasGraph)
            throw new FormatProblem($"{where}: holds {slots.Count} slot tensors, but config.json has no build_input_shape to build the model they belong to.");
        var weights = TrainableWeights(model);
        var names = SlotNames(optimizer, optimizer.StateSlotCount);
        var expected = names.SelectMany(n => weights.Select(w => (Name: $"{n}/{w.Name}", w.Shape))).ToList();
        if (slots.Count != expected.Count)
            throw new FormatProblem($"{where}: expected {expected.Count} slot tensors ({names.Length} slots × {weights.Count} trainable weights of {optimizer.GetType().Name}). Received: {slots.Count}.");
        for (int i = 0; i < slots.Count; i++)
        {
            if (slots[i].Name != expected[i].Name || !slots[i].Shape.AsSpan().SequenceEqual(expected[i].Shape))
                throw new FormatProblem($"{where}: tensors[{i}]: expected \"{expected[i].Name}\" of shape {Tensor.FormatShape(expected[i].Shape)}. Received: \"{slots[i].Name}\" of shape {Tensor.FormatShape(slots[i].Shape)}.");
        }
        return (iterations, seed, slots, scalars);
    }

    /// <summary>The optimizer's device scalars ("device_scalars"): each finite; required once a step was taken.</summary>
    private static Dictionary<string, float> ReadScalars(JObject json, Optimizer optimizer, long iterations)
    {
        const string where = ModelFileFormat.OptimizerManifest;
        var result = new Dictionary<string, float>(StringComparer.Ordinal);
        var table = Json.Optional(json, "device_scalars");
        if (table != null && table is not JObject)
            throw new FormatProblem($"{where}: expected \"device_scalars\" to be an object of numbers. Received: {Json.Describe(table)}.");
        foreach (var (name, _) in optimizer.DeviceScalars)
        {
            var token = Json.Optional(table, name);
            if (token == null && iterations == 0) continue;
            if (token is not JValue { Type: JTokenType.Float or JTokenType.Integer } value || !float.IsFinite(value.Value<float>()))
                throw new FormatProblem($"{where}: expected \"device_scalars\".\"{name}\" of {optimizer.GetType().Name} to be a finite number. Received: {Json.Describe(token)}.");
            result[name] = value.Value<float>();
        }
        return result;
    }

    /// <summary>Puts slot values (in <see cref="ReadManifest"/> order), scalars and the iteration count into the model's optimizer, and onto its device state if built.</summary>
    public static void Restore(Model model, long iterations, IReadOnlyList<float[]> slotValues, IReadOnlyDictionary<string, float>? scalars = null)
    {
        var optimizer = model.Optimizer!;
        optimizer.Iterations = iterations;
        optimizer.ScalarValues.Clear();
        if (scalars != null) foreach (var (name, value) in scalars) optimizer.ScalarValues[name] = value;
        optimizer.SlotValues.Clear();
        if (slotValues.Count > 0)
        {
            var weights = TrainableWeights(model);
            for (int w = 0; w < weights.Count; w++)
                optimizer.SlotValues[weights[w]] = [.. Enumerable.Range(0, optimizer.StateSlotCount).Select(s => slotValues[s * weights.Count + w])];
        }
        model.CompiledState?.LoadOptimizerState();
    }
}
