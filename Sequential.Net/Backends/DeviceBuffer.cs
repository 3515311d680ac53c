namespace SequentialNet.Backends;

/// <summary>
/// An opaque handle to backend memory: a float32 (or int32, see <see cref="IsInt"/>) range that only its
/// backend can read or write. Graph code passes these around; it never touches the memory.
/// </summary>
public abstract class DeviceBuffer : IDisposable
{
    /// <summary>Number of elements.</summary>
    public abstract int Length { get; }

    /// <summary>True for an int32 buffer (indices, counters), false for float32.</summary>
    public abstract bool IsInt { get; }

    /// <summary>Releases the memory if this buffer owns it; views release nothing.</summary>
    public abstract void Dispose();
}
