namespace SequentialNet.Cuda;

/// <summary>Grid or block dimensions of a kernel launch.</summary>
internal readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1);

/// <summary>
/// The one seam between the CUDA backend's host logic and a device. Its real side is the CUDA driver
/// (plus cuBLAS and NVRTC-compiled kernels); its other side is the emulated device, which runs the same
/// kernels/*.cu compiled for the host by g++, so CI checks the backend without a GPU.
/// Pointers are device addresses; every call is stream-ordered and asynchronous unless it says it waits.
/// </summary>
internal interface IGpuDevice : IDisposable
{
    /// <summary>e.g. "NVIDIA H100 80GB HBM3 (sm_90)" or "emulated device".</summary>
    string Name { get; }

    /// <summary>Compute capability as major·10 + minor (90 for sm_90).</summary>
    int ComputeCapability { get; }

    /// <summary>Allocates <paramref name="bytes"/> bytes (contents undefined).</summary>
    ulong Allocate(long bytes);

    /// <summary>Frees memory from <see cref="Allocate"/>.</summary>
    void Free(ulong pointer);

    /// <summary>Host → device copy (waits until the host memory may be reused).</summary>
    void CopyToDevice(ulong destination, ReadOnlySpan<byte> source);

    /// <summary>Device → host copy (waits for all queued work first).</summary>
    void CopyToHost(ulong source, Span<byte> destination);

    /// <summary>
    /// Page-locked host memory of <paramref name="bytes"/> bytes (cuMemHostAlloc): the only host memory a copy
    /// reads or writes behind queued work without the CPU waiting. Not device memory: pass it only to the
    /// *Async copies and <see cref="FreePinned"/>.
    /// </summary>
    nint AllocatePinned(long bytes);

    /// <summary>Frees memory from <see cref="AllocatePinned"/> (call it only when no queued copy uses it).</summary>
    void FreePinned(nint pointer);

    /// <summary>Pinned host → device copy, queued; returns at once (the pinned memory must stay as it is until the copy ran).</summary>
    void CopyToDeviceAsync(ulong destination, nint pinnedSource, long bytes);

    /// <summary>Device → pinned host copy, queued after the work before it; returns at once (the host bytes are valid once an event recorded after it completed).</summary>
    void CopyToHostAsync(nint pinnedDestination, ulong source, long bytes);

    /// <summary>A completion marker for the stream (cuEventCreate, no timing).</summary>
    nint CreateEvent();

    /// <summary>Marks the current end of the queued work; <see cref="EventCompleted"/> says when everything before it has run.</summary>
    void RecordEvent(nint marker);

    /// <summary>Whether the work queued before the event's last record has finished (cuEventQuery): never waits.</summary>
    bool EventCompleted(nint marker);

    /// <summary>Frees an event.</summary>
    void DestroyEvent(nint marker);

    /// <summary>Device → device copy.</summary>
    void CopyOnDevice(ulong destination, ulong source, long bytes);

    /// <summary>Sets <paramref name="count"/> 32-bit words to <paramref name="value"/>.</summary>
    void Fill32(ulong destination, uint value, long count);

    /// <summary>
    /// Launches the kernel <paramref name="kernel"/> (an extern "C" entry point of kernels/*.cu) with the
    /// given parameters, each a pointer to its value (cuLaunchKernel's kernelParams).
    /// </summary>
    unsafe void Launch(string kernel, Dim3 grid, Dim3 block, int sharedBytes, void** parameters);

    /// <summary>
    /// Column-major SGEMM, cuBLAS's convention: C(m,n) = alpha·op(A)·op(B) + beta·C with leading dimensions.
    /// The backend's single row-major gateway maps onto this.
    /// </summary>
    void SgemmColumnMajor(bool transA, bool transB, int m, int n, int k, float alpha, ulong a, int lda, ulong b, int ldb, float beta, ulong c, int ldc);

    /// <summary>Waits for all queued work; throws if an earlier asynchronous launch failed.</summary>
    void Synchronize();

    /// <summary>Free and total device memory in bytes.</summary>
    (long Free, long Total) MemoryInfo();

    /// <summary>Starts recording the queued work of this thread into a graph instead of running it.</summary>
    void BeginCapture();

    /// <summary>Ends the recording; the handle replays it with <see cref="Replay"/> and frees it with <see cref="DestroyCapture"/>.</summary>
    nint EndCapture();

    /// <summary>
    /// Ends a capture in progress, if any, and destroys what it recorded: the failure path between
    /// <see cref="BeginCapture"/> and <see cref="EndCapture"/>, so the stream is usable again. Never throws.
    /// </summary>
    void AbortCapture();

    /// <summary>
    /// The first device fault this device reported (a sticky error such as CUDA_ERROR_ILLEGAL_ADDRESS, after
    /// which every call fails), or null.
    /// </summary>
    CudaException? Fault { get; }

    /// <summary>Enqueues a recorded graph once.</summary>
    void Replay(nint capture);

    /// <summary>Frees a recorded graph.</summary>
    void DestroyCapture(nint capture);
}
