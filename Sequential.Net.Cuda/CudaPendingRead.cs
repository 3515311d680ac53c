using SequentialNet.Backends;

namespace SequentialNet.Cuda;

/// <summary>
/// A read that does not wait: cuMemcpyDtoHAsync into a pinned block allocated once, then an event recorded
/// behind it; <see cref="TryComplete"/> asks the event (cuEventQuery) and copies the pinned floats out only when
/// the device has got there. No call here synchronizes the host with the stream.
/// </summary>
internal sealed unsafe class CudaPendingRead : IPendingRead
{
    private readonly IGpuDevice _device;
    private readonly int _capacity;
    private readonly nint _pinned, _event;
    private int _length = -1;   // floats of the read in flight, -1 when none
    private bool _disposed;

    public CudaPendingRead(IGpuDevice device, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _device = device;
        _capacity = capacity;
        _pinned = device.AllocatePinned((long)Math.Max(capacity, 1) * sizeof(float));
        try { _event = device.CreateEvent(); }
        catch
        {
            device.FreePinned(_pinned);
            throw;
        }
    }

    /// <inheritdoc/>
    public bool InFlight => _length >= 0;

    /// <inheritdoc/>
    public void Start(DeviceBuffer source)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (InFlight) throw new InvalidOperationException("IPendingRead.Start: a read is still in flight; complete it first.");
        var buffer = (CudaBuffer)source;
        if (buffer.Length > _capacity)
            throw new ArgumentException($"IPendingRead.Start: expected at most {_capacity} floats. Received: a buffer of {buffer.Length}.", nameof(source));
        _device.CopyToHostAsync(_pinned, buffer.Pointer, (long)buffer.Length * sizeof(float));
        _device.RecordEvent(_event);
        _length = buffer.Length;
    }

    /// <inheritdoc/>
    public bool TryComplete(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!InFlight) throw new InvalidOperationException("IPendingRead.TryComplete: no read was started.");
        if (destination.Length != _length)
            throw new ArgumentException($"IPendingRead.TryComplete: expected a destination of {_length} floats. Received: {destination.Length}.", nameof(destination));
        if (!_device.EventCompleted(_event)) return false;
        new ReadOnlySpan<float>((void*)_pinned, _length).CopyTo(destination);
        _length = -1;
        return true;
    }

    /// <summary>Frees the pinned block and the event (a read still in flight is abandoned; freeing pinned memory waits for the copies using it).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CudaException? known = _device.Fault;
        try
        {
            _device.DestroyEvent(_event);
            _device.FreePinned(_pinned);
        }
        catch (Exception) when (known != null || _device.Fault != null)
        {
            // After a device fault the release fails with the same sticky error; the device frees both at its disposal.
        }
    }
}
