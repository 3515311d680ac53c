using System.Runtime.InteropServices;
using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Reads and uploads that do not make the CPU wait: pending reads into pinned memory (the progress bar's running
// metrics during Fit), and data uploads staged through pinned memory (Fit's, Evaluate's and Predict's arrays), so
// the only host synchronization of a Predict call is its one read back.
public sealed unsafe partial class CudaBackend : IAsyncReadback
{
    private readonly List<(nint Pinned, nint Marker)> _staged = [];

    /// <inheritdoc/>
    public IPendingRead CreatePendingRead(int length) => new CudaPendingRead(_device, length);

    /// <summary>
    /// Copies <paramref name="source"/> to the device behind the queued work without waiting: into a pinned block,
    /// then cuMemcpyHtoDAsync and an event; the block is freed once its event completed (<see cref="ReleaseStaging"/>).
    /// Falls back to the blocking upload when pinned memory cannot be had.
    /// </summary>
    private void UploadStaged(ulong destination, ReadOnlySpan<byte> source)
    {
        ReleaseStaging();
        nint pinned;
        try { pinned = _device.AllocatePinned(source.Length); }
        catch (CudaException) when (_device.Fault == null)
        {
            _device.CopyToDevice(destination, source);   // page-locked memory exhausted: the blocking copy still works
            return;
        }
        nint marker = 0;
        try
        {
            source.CopyTo(new Span<byte>((void*)pinned, source.Length));
            _device.CopyToDeviceAsync(destination, pinned, source.Length);
            marker = _device.CreateEvent();
            _device.RecordEvent(marker);
        }
        catch
        {
            AfterFault(() => { if (marker != 0) _device.DestroyEvent(marker); _device.FreePinned(pinned); });
            throw;
        }
        lock (_gate) _staged.Add((pinned, marker));
    }

    /// <summary>
    /// Frees the staging blocks whose upload has run (asked without waiting; after a synchronization all have).
    /// Freeing pinned memory may synchronize the device, so this runs only where the host waits anyway or no
    /// step is being queued: before the next upload, after a read back, at Synchronize and at disposal.
    /// </summary>
    private void ReleaseStaging()
    {
        lock (_gate)
        {
            for (int i = _staged.Count - 1; i >= 0; i--)
            {
                var (pinned, marker) = _staged[i];
                if (!_device.EventCompleted(marker)) continue;
                _staged.RemoveAt(i);
                _device.DestroyEvent(marker);
                _device.FreePinned(pinned);
            }
        }
    }

    /// <summary>At disposal: frees every staging block (the device waits for the copies first), dropping repeats of a known fault.</summary>
    private void FreeStaging()
    {
        (nint Pinned, nint Marker)[] staged;
        lock (_gate)
        {
            staged = [.. _staged];
            _staged.Clear();
        }
        foreach (var (pinned, marker) in staged)
            AfterFault(() => { _device.DestroyEvent(marker); _device.FreePinned(pinned); });
    }
}
