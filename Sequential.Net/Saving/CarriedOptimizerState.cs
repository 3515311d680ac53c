using SequentialNet.Backends;

namespace SequentialNet.Saving;

/// <summary>The optimizer state of a compiled model, kept per weight while its plans are rebuilt.</summary>
internal sealed class CarriedOptimizerState
{
    private readonly int _step;
    private readonly float[] _hyper;
    private readonly Dictionary<Variable, float[]>[] _slots;

    private CarriedOptimizerState(int step, float[] hyper, Dictionary<Variable, float[]>[] slots)
        => (_step, _hyper, _slots) = (step, hyper, slots);

    /// <summary>Downloads the step counter, the hyper-parameter block and every slot, cut per trainable weight.</summary>
    public static CarriedOptimizerState Read(CompiledModel compiled)
    {
        var backend = compiled.Backend;
        var counters = new int[StateSlots.CounterCount];
        backend.DownloadInt(compiled.State.Counters, counters);
        var hyper = new float[StateSlots.HyperCount];
        backend.Download(compiled.State.Hyper, hyper);
        var host = new float[compiled.Store.Params.Length];
        var slots = new Dictionary<Variable, float[]>[compiled.Slots.Length];
        for (int s = 0; s < slots.Length; s++)
        {
            backend.Download(compiled.Slots[s], host);
            slots[s] = compiled.Store.Trainable.ToDictionary(v => v, v => host.AsSpan(compiled.Store.OffsetOf(v), v.Length).ToArray());
        }
        return new CarriedOptimizerState(counters[StateSlots.OptimizerStep], hyper, slots);
    }

    /// <summary>Uploads the state into a fresh compiled model; weights that became trainable keep their initial slots.</summary>
    public void WriteInto(CompiledModel compiled, Optimizers.Optimizer optimizer)
    {
        var backend = compiled.Backend;
        backend.SetCounter(compiled.State.Counters, StateSlots.OptimizerStep, _step);
        foreach (var (_, slot) in optimizer.DeviceScalars)
        {
            using var view = backend.View(compiled.State.Hyper, slot, 1);
            backend.Upload([_hyper[slot]], view);
        }
        for (int s = 0; s < Math.Min(_slots.Length, compiled.Slots.Length); s++)
        {
            foreach (var v in compiled.Store.Trainable)
            {
                if (!_slots[s].TryGetValue(v, out var values)) continue;
                using var view = backend.View(compiled.Slots[s], compiled.Store.OffsetOf(v), v.Length);
                backend.Upload(values, view);
            }
        }
    }
}
