using SequentialNet.Backends;

namespace SequentialNet.Cuda;

/// <summary>
/// Device memory of a <see cref="CudaBackend"/>: a device pointer and an element count (float32 or int32,
/// 4 bytes each). An owner frees its allocation in <see cref="Dispose"/>; a view (a range of an owner)
/// frees nothing. Device memory is never left to the finalizer: what is not disposed is freed when the
/// backend is disposed.
/// </summary>
internal sealed class CudaBuffer : DeviceBuffer
{
    private readonly CudaBackend? _owner;   // null for views
    private readonly int _length;
    private readonly bool _isInt;
    private bool _freed;

    private CudaBuffer(CudaBackend? owner, ulong pointer, int length, bool isInt)
    {
        _owner = owner; Pointer = pointer; _length = length; _isInt = isInt;
    }

    /// <summary>An owning buffer over memory that <paramref name="owner"/> allocated.</summary>
    public static CudaBuffer Owning(CudaBackend owner, ulong pointer, int length, bool isInt) => new(owner, pointer, length, isInt);

    /// <summary>The device address of element 0.</summary>
    public ulong Pointer { get; }

    /// <inheritdoc/>
    public override int Length => _length;

    /// <inheritdoc/>
    public override bool IsInt => _isInt;

    /// <summary>True when this buffer owns its memory (false for views).</summary>
    public bool IsOwner => _owner != null;

    /// <summary>Elements [offset, offset + length) as a view that owns nothing.</summary>
    public CudaBuffer Slice(int offset, int length)
    {
        if ((uint)offset > (uint)_length || (uint)length > (uint)(_length - offset))
            throw new ArgumentOutOfRangeException(nameof(offset), $"View [{offset}, {(long)offset + length}) is outside a buffer of {_length} elements.");
        return new CudaBuffer(null, Pointer + (ulong)offset * 4, length, _isInt);
    }

    /// <summary>Called by the backend when it has freed this buffer's memory (at its own disposal).</summary>
    internal void MarkFreed() => _freed = true;

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (_owner == null || _freed) return;
        _freed = true;
        _owner.Release(this);
    }
}
