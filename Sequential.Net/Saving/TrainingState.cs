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
        return new OptimizerState(className, counters[StateSlots.OptimizerStep], seed, names, slots);
    }

    /// <summary>Reads optimizer.json and checks its slot tensors against the model and optimizer; returns the state with the tensors still to read.</summary>
    public static (long Iterations, ulong Seed, List<TensorEntry> Slots) ReadManifest(ModelFileReader reader, JObject json, Model model, Optimizer optimizer)
    {
        const string where = ModelFileFormat.OptimizerManifest;
        long iterations = Json.Long(json, "iterations", where, 0, int.MaxValue);
        string seedText = Json.String(json, "seed", where);
        if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            throw new FormatProblem($"{where}: expected \"seed\" to be an unsigned 64-bit integer in decimal. Received: \"{seedText}\".");
        var slots = reader.ReadManifest(json, where, ModelFileFormat.OptimizerData);
        if (slots.Count == 0) return (iterations, seed, slots);
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
        return (iterations, seed, slots);
    }

    /// <summary>Puts slot values (in <see cref="ReadManifest"/> order) and the iteration count into a freshly compiled model.</summary>
    public static void Restore(Model model, long iterations, IReadOnlyList<float[]> slotValues)
    {
        model.Optimizer!.Iterations = iterations;
        var compiled = model.CompiledState;
        if (compiled == null) return;
        var backend = compiled.Backend;
        backend.SetCounter(compiled.State.Counters, StateSlots.OptimizerStep, (int)iterations);
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
