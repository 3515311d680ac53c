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
        => optimizer.SlotNames is { } names && names.Length == count ? names : [.. Enumerable.Range(0, count).Select(i => $"slot_{i}")];

    /// <summary>The trainable weights in the order of the optimizer's flat buffers.</summary>
    public static List<Variable> TrainableWeights(Model model)
        => [.. model.Layers.SelectMany(l => l.Weights.Where(w => l.Trainable && w.Trainable))];

    /// <summary>The state of a compiled model, read from its backend when it has been built.</summary>
    public static OptimizerState Capture(Model model)
    {
        var optimizer = model.Optimizer!;
        string className = Registries.Optimizers.NameOf(optimizer, "the optimizer").ClassName;
        var compiled = model.CompiledState;
        ulong seed = compiled?.State.Seed ?? model.RestoredSeed ?? Utils.Seed;
        if (compiled == null)
            return new OptimizerState(className, optimizer.Iterations, seed, SlotNames(optimizer, optimizer.SlotCount), []);
        Span<int> counters = stackalloc int[StateSlots.CounterCount];
        compiled.Backend.DownloadInt(compiled.State.Counters, counters);
        var names = SlotNames(optimizer, compiled.Slots.Length);
        var slots = new List<NamedTensor>();
        var host = new float[compiled.Store.Params.Length];
        for (int s = 0; s < compiled.Slots.Length; s++)
        {
            compiled.Backend.Download(compiled.Slots[s], host);
            foreach (var v in compiled.Store.Trainable)
                slots.Add(new NamedTensor($"{names[s]}/{v.Name}", v.Shape, host.AsSpan(compiled.Store.OffsetOf(v), v.Length).ToArray()));
        }
        var scalars = new Dictionary<string, float>(StringComparer.Ordinal);
        if (optimizer.DeviceScalars.Length > 0)
        {
            var hyper = new float[StateSlots.HyperCount];
            compiled.Backend.Download(compiled.State.Hyper, hyper);
            foreach (var (name, slot) in optimizer.DeviceScalars) scalars[name] = hyper[slot];
        }
        return new OptimizerState(className, counters[StateSlots.OptimizerStep], seed, names, slots, scalars);
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
        if (model.OutputShape == null)
            throw new FormatProblem($"{where}: holds {slots.Count} slot tensors, but config.json has no build_input_shape to build the model they belong to.");
        var weights = TrainableWeights(model);
        var names = SlotNames(optimizer, optimizer.SlotCount);
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

    /// <summary>Puts slot values (in <see cref="ReadManifest"/> order) and the iteration count into a freshly compiled model.</summary>
    public static void Restore(Model model, long iterations, IReadOnlyList<float[]> slotValues, IReadOnlyDictionary<string, float>? scalars = null)
    {
        model.Optimizer!.Iterations = iterations;
        var compiled = model.CompiledState;
        if (compiled == null) return;
        var backend = compiled.Backend;
        backend.SetCounter(compiled.State.Counters, StateSlots.OptimizerStep, (int)iterations);
        foreach (var (name, slot) in model.Optimizer.DeviceScalars)
        {
            if (scalars == null || !scalars.TryGetValue(name, out float value)) continue;
            using var view = backend.View(compiled.State.Hyper, slot, 1);
            backend.Upload([value], view);
        }
        if (slotValues.Count == 0) return;
        var trainable = compiled.Store.Trainable;
        for (int s = 0, i = 0; s < compiled.Slots.Length; s++)
        {
            foreach (var v in trainable)
            {
                using var view = backend.View(compiled.Slots[s], compiled.Store.OffsetOf(v), v.Length);
                backend.Upload(slotValues[i++], view);
            }
        }
    }
}
