using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Tests.Emulated;

// Pinned host memory, queued copies to and from it, and events. Work runs when it is queued, so a copy has
// happened when its call returns; an event is complete after EventPollsBeforeDone queries have said "not yet"
// (0 by default), so a test can make the host see a read back late. None of these is a host synchronization.
internal sealed unsafe partial class EmulatedDevice
{
    private readonly Dictionary<nint, long> _pinned = [];
    private readonly Dictionary<nint, int> _events = [];     // event → queries left that answer "not ready"
    private nint _nextEvent = 1;
    private int _asyncReads, _asyncUploads;

    /// <summary>How many queries of a freshly recorded event answer "not ready" before it completes (a GPU still busy).</summary>
    public int EventPollsBeforeDone { get; set; }

    /// <summary>Queued device → pinned host copies (reads that made nobody wait).</summary>
    public int AsyncReads => Volatile.Read(ref _asyncReads);

    /// <summary>Queued pinned host → device copies.</summary>
    public int AsyncUploads => Volatile.Read(ref _asyncUploads);

    /// <summary>Pinned host blocks still allocated.</summary>
    public int LivePinned
    {
        get { lock (_gate) return _pinned.Count; }
    }

    /// <inheritdoc/>
    public nint AllocatePinned(long bytes)
    {
        ThrowIfDisposed();
        ThrowIfCapturing(nameof(AllocatePinned));
        FaultPoint("allocate-pinned");
        bytes = Math.Max(bytes, 4);
        nint pointer = (nint)NativeMemory.AlignedAlloc((nuint)bytes, Alignment);
        lock (_gate) _pinned.Add(pointer, bytes);
        return pointer;
    }

    /// <inheritdoc/>
    public void FreePinned(nint pointer)
    {
        ThrowIfDisposed();
        ThrowIfCapturing(nameof(FreePinned));
        FaultPoint("free-pinned");
        lock (_gate)
        {
            if (!_pinned.Remove(pointer))
                throw new ArgumentException($"0x{pointer:x} is not pinned memory of this device, or was freed already.", nameof(pointer));
        }
        NativeMemory.AlignedFree((void*)pointer);
    }

    /// <inheritdoc/>
    public void CopyToDeviceAsync(ulong destination, nint pinnedSource, long bytes)
    {
        ThrowIfDisposed();
        if (bytes == 0) return;
        ThrowIfCapturing(nameof(CopyToDeviceAsync));
        FaultPoint("copy-to-device-async");
        RequirePinned(pinnedSource, bytes, nameof(CopyToDeviceAsync));
        RequireRange(destination, bytes, nameof(CopyToDeviceAsync), "destination");
        Interlocked.Increment(ref _asyncUploads);
        Buffer.MemoryCopy((void*)pinnedSource, (void*)destination, bytes, bytes);
    }

    /// <inheritdoc/>
    public void CopyToHostAsync(nint pinnedDestination, ulong source, long bytes)
    {
        ThrowIfDisposed();
        if (bytes == 0) return;
        ThrowIfCapturing(nameof(CopyToHostAsync));
        FaultPoint("copy-to-host-async");
        RequirePinned(pinnedDestination, bytes, nameof(CopyToHostAsync));
        RequireRange(source, bytes, nameof(CopyToHostAsync), "source");
        Interlocked.Increment(ref _asyncReads);
        Buffer.MemoryCopy((void*)source, (void*)pinnedDestination, bytes, bytes);
    }

    /// <inheritdoc/>
    public nint CreateEvent()
    {
        ThrowIfDisposed();
        lock (_gate)
        {
            nint marker = _nextEvent++;
            _events.Add(marker, 0);
            return marker;
        }
    }

    /// <inheritdoc/>
    public void RecordEvent(nint marker)
    {
        ThrowIfDisposed();
        ThrowIfCapturing(nameof(RecordEvent));   // the backend records its markers outside steps
        FaultPoint("record-event");
        lock (_gate)
        {
            if (!_events.ContainsKey(marker)) throw new ArgumentException($"RecordEvent: {marker} is not a live event of this device.", nameof(marker));
            _events[marker] = EventPollsBeforeDone;
        }
    }

    /// <inheritdoc/>
    public bool EventCompleted(nint marker)
    {
        ThrowIfDisposed();
        FaultPoint("event-query");
        lock (_gate)
        {
            if (!_events.TryGetValue(marker, out int left)) throw new ArgumentException($"EventCompleted: {marker} is not a live event of this device.", nameof(marker));
            if (left == 0) return true;
            _events[marker] = left - 1;
            return false;
        }
    }

    /// <inheritdoc/>
    public void DestroyEvent(nint marker)
    {
        ThrowIfDisposed();
        lock (_gate)
        {
            if (!_events.Remove(marker)) throw new ArgumentException($"DestroyEvent: {marker} is not a live event of this device.", nameof(marker));
        }
    }

    private void RequirePinned(nint pointer, long bytes, string who)
    {
        lock (_gate)
            foreach (var (start, size) in _pinned)
                if (pointer >= start && pointer + (nint)bytes <= start + (nint)size) return;
        throw new ArgumentOutOfRangeException(nameof(pointer), $"{who}: host [0x{pointer:x}, +{bytes}) is not inside pinned memory of this device (an async copy with pageable memory would make the CPU wait).");
    }

    private void FreeAllPinned()
    {
        foreach (nint pointer in _pinned.Keys) NativeMemory.AlignedFree((void*)pointer);
        _pinned.Clear();
        _events.Clear();
    }
}
