using SequentialNet.Backends;

namespace SequentialNet.Graph;

/// <summary>
/// The device-resident state of a compiled model besides its arena: int counters (optimizer step, RNG
/// step, data cursors), float hyper-parameters (learning rate) and metric accumulators (the train region,
/// then the evaluation region, each <see cref="ModelGraphs.AccumulatorStride"/> floats for a compiled model).
/// </summary>
internal sealed class ModelState : IDisposable
{
    /// <summary>Accumulators of a state made without a count (tests of single ops).</summary>
    public const int DefaultAccumulatorCount = 32;

    public ModelState(IBackend backend, ulong seed, int accumulatorCount = DefaultAccumulatorCount)
    {
        Seed = seed;
        Counters = backend.AllocateInt(StateSlots.CounterCount);
        Hyper = backend.Allocate(StateSlots.HyperCount);
        Accumulators = backend.Allocate(accumulatorCount);
        AccumulatorHost = new float[accumulatorCount];
    }

    /// <summary>Host copy of <see cref="Accumulators"/>, filled by one download per log read (no allocation per read).</summary>
    public float[] AccumulatorHost { get; }

    public ulong Seed { get; set; }
    public DeviceBuffer Counters { get; }
    public DeviceBuffer Hyper { get; }
    public DeviceBuffer Accumulators { get; }
    /// <summary>The optimizer's learning-rate schedule tables (piecewise constant), owned here; null: none.</summary>
    public (DeviceBuffer Boundaries, DeviceBuffer Values)? ScheduleTables { get; set; }

    public void Dispose()
    {
        Counters.Dispose(); Hyper.Dispose(); Accumulators.Dispose();
        if (ScheduleTables is { } t) { t.Boundaries.Dispose(); t.Values.Dispose(); }
    }
}
