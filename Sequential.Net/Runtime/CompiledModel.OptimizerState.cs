using SequentialNet.Backends;

namespace SequentialNet;

// The optimizer's state moves between the optimizer object (host) and the device: in when a model is
// compiled, out when the compiled state is dropped (Dispose, re-Compile), so neither restarts Adam's
// moments, the iteration count or the learning-rate schedule (Keras 3: the state is the optimizer's).
internal sealed partial class CompiledModel
{
    /// <summary>Puts the optimizer's iterations, slots (per variable it has them for) and device scalars on the device.</summary>
    public void LoadOptimizerState()
    {
        var optimizer = Graphs.Optimizer;
        Backend.SetCounter(State.Counters, StateSlots.OptimizerStep, checked((int)optimizer.Iterations));
        foreach (var (name, slot) in optimizer.DeviceScalars)
        {
            if (!optimizer.ScalarValues.TryGetValue(name, out float value)) continue;
            using var view = Backend.View(State.Hyper, slot, 1);
            Backend.Upload([value], view);
        }
        foreach (var v in Store.Trainable)
        {
            if (!optimizer.SlotValues.TryGetValue(v, out var values) || values.Length != Slots.Length) continue;
            for (int s = 0; s < Slots.Length; s++)
            {
                using var view = Backend.View(Slots[s], Store.OffsetOf(v), v.Length);
                Backend.Upload(values[s], view);
            }
        }
    }

    /// <summary>The iteration count on the device.</summary>
    public long ReadIterations()
    {
        Span<int> counters = stackalloc int[StateSlots.CounterCount];
        Backend.DownloadInt(State.Counters, counters);
        return counters[StateSlots.OptimizerStep];
    }

    /// <summary>Copies the optimizer's device state back into the optimizer object (iterations, slots, scalars).</summary>
    public void SaveOptimizerState()
    {
        var optimizer = Graphs.Optimizer;
        optimizer.Iterations = ReadIterations();
        if (optimizer.DeviceScalars.Length > 0)
        {
            var hyper = new float[StateSlots.HyperCount];
            Backend.Download(State.Hyper, hyper);
            foreach (var (name, slot) in optimizer.DeviceScalars) optimizer.ScalarValues[name] = hyper[slot];
        }
        if (Slots.Length == 0) return;
        var host = new float[Store.Params.Length];
        var values = Store.Trainable.ToDictionary(v => v, _ => new float[Slots.Length][]);
        for (int s = 0; s < Slots.Length; s++)
        {
            Backend.Download(Slots[s], host);
            foreach (var v in Store.Trainable) values[v][s] = host.AsSpan(Store.OffsetOf(v), v.Length).ToArray();
        }
        foreach (var (v, slots) in values) optimizer.SlotValues[v] = slots;
    }
}
