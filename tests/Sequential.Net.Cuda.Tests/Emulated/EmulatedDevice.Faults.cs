using SequentialNet.Cuda.Native;

namespace SequentialNet.Cuda.Tests.Emulated;

// Fault injection: a test names the stage at which a driver call fails and with which status. A device fault
// (CUDA_ERROR_ILLEGAL_ADDRESS, CUDA_ERROR_LAUNCH_FAILED …) is sticky as in a real context: every later call,
// frees and destroys included, fails with the same error, until the device is disposed.
internal sealed partial class EmulatedDevice
{
    private CudaException? _fault;
    private int _freeAttempts, _abortedCaptures;
    private readonly HashSet<ulong> _freeTried = [];

    /// <summary>
    /// Test hook: called with the stage of each call — "allocate", "free", "copy-to-device", "copy-to-host",
    /// "launch:&lt;kernel&gt;" (when queued, also while capturing), "synchronize", "end-capture", "instantiate",
    /// "replay", "destroy-capture" — it returns the status that call fails with, or null to let it run.
    /// </summary>
    public Func<string, CUresult?>? InjectFault { get; set; }

    /// <inheritdoc/>
    public CudaException? Fault => _fault;

    /// <summary>Whether a capture is in progress (the stream is recording).</summary>
    public bool Capturing => _capture != null;

    /// <summary>Calls of <see cref="Free"/>, failed ones included.</summary>
    public int FreeAttempts => _freeAttempts;

    /// <summary>
    /// Allocations still live when the device was disposed that nobody had tried to free (a release path that
    /// stopped half-way); -1 before <see cref="Dispose"/>.
    /// </summary>
    public int NeverFreedAtDispose { get; private set; } = -1;

    private void NoteFreeAttempt(ulong pointer)
    {
        Interlocked.Increment(ref _freeAttempts);
        lock (_freeTried) _freeTried.Add(pointer);
    }

    private void NoteDispose()
    {
        lock (_freeTried) NeverFreedAtDispose = _sizes.Keys.Count(p => !_freeTried.Contains(p));
    }

    /// <summary>Captures ended by <see cref="AbortCapture"/> while in progress.</summary>
    public int AbortedCaptures => _abortedCaptures;

    /// <inheritdoc/>
    public void AbortCapture()
    {
        if (_disposed || _capture == null) return;
        _capture.Free();
        _capture = null;
        _abortedCaptures++;
    }

    /// <summary>Fails the call at <paramref name="stage"/> with the sticky fault, or with what <see cref="InjectFault"/> says.</summary>
    private void FaultPoint(string stage)
    {
        if (_fault != null) throw _fault;
        if (InjectFault?.Invoke(stage) is not CUresult status) return;
        string name = Enum.IsDefined(status) ? status.ToString() : "CUresult " + (int)status;
        var e = new CudaException("CUDA driver", stage, (int)status, name, "injected by the test", stage);
        if (e.IsDeviceFault) _fault = e;
        throw e;
    }
}
