using SequentialNet.Backends;

namespace SequentialNet.Graph;

/// <summary>
/// The device-resident state of a compiled model besides its arena: int counters (optimizer step, RNG
/// step, data cursors), float hyper-parameters (learning rate) and metric accumulators.
/// </summary>
internal sealed class ModelState : IDisposable
{
    public const int AccumulatorCount = 32;

    public ModelState(IBackend backend, ulong seed)
    {
        Seed = seed;
        Counters = backend.AllocateInt(StateSlots.CounterCount);
        Hyper = backend.Allocate(StateSlots.HyperCount);
        Accumulators = backend.Allocate(AccumulatorCount);
    }

    public ulong Seed { get; set; }
    public DeviceBuffer Counters { get; }
    public DeviceBuffer Hyper { get; }
    public DeviceBuffer Accumulators { get; }

    public void Dispose()
    {
        Counters.Dispose(); Hyper.Dispose(); Accumulators.Dispose();
    }
}
