using System.Runtime.InteropServices;
using SequentialNet.Cuda.Native;

namespace SequentialNet.Cuda;

/// <summary>
/// The real side of <see cref="IGpuDevice"/>: one GPU through the CUDA driver API. It uses the device's
/// primary context (shared with anything else in the process that uses that GPU, e.g. cuBLAS), one
/// non-blocking stream for all its work, and a cuBLAS handle bound to that stream. Kernels are every
/// kernels/*.cu compiled by NVRTC for this device's own sm_XY (through <see cref="KernelCache"/>), loaded as
/// one module per file when the device is created; <see cref="Launch"/> finds a kernel by name across them.
/// <para>
/// GEMMs are strict FP32 unless <c>allowTf32</c> is set: the handle's math mode is CUBLAS_DEFAULT_MATH,
/// which never rounds FP32 inputs to TF32 (it only uses precisions with at least the bits requested);
/// <c>allowTf32: true</c> selects CUBLAS_TF32_TENSOR_OP_MATH, which is faster on Ampere and later and
/// breaks the CPU-parity tolerances. CUBLAS_PEDANTIC_MATH would also forbid TF32 but can pick slower
/// kernels; the default mode is also what PyTorch uses when TF32 is off, so benchmarks compare like with like.
/// </para>
/// <para>
/// Everything the device creates (memory, captured graphs, modules, the cuBLAS handle, the stream, its
/// reference on the primary context) is released by <see cref="Dispose"/>, never by a finalizer.
/// The instance is meant for one thread at a time; any thread may use it (the context is made current
/// on the calling thread when needed).
/// </para>
/// </summary>
internal sealed unsafe class DriverDevice : IGpuDevice
{
    private readonly int _device;
    private readonly nint _context;
    private readonly nint _stream;
    private readonly nint _cublas;
    private readonly KernelCache _cache;
    private readonly List<(string File, nint Module)> _modules = [];
    private readonly Dictionary<string, nint> _functions = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _allocations = [];
    private readonly HashSet<nint> _captures = [];
    private readonly HashSet<nint> _pinned = [], _events = [];
    private readonly Lock _gate = new();
    private ulong _cublasWorkspace;
    private CudaException? _fault;
    private bool _contextRetained, _disposed;

    /// <summary>Opens GPU <paramref name="ordinal"/> and loads the kernels.</summary>
    /// <param name="ordinal">CUDA device ordinal (0 = the first GPU).</param>
    /// <param name="allowTf32">Let cuBLAS round FP32 GEMM inputs to TF32 (faster on sm_80+, less exact).</param>
    /// <param name="cache">Kernel cache (default: the shared one over ~/.cache/sequential-net/kernels).</param>
    /// <param name="loadKernels">False to skip loading kernels/*.cu (tests that load their own modules).</param>
    /// <exception cref="InvalidOperationException">No driver, no such device, or cuBLAS/NVRTC missing; the message says which.</exception>
    /// <exception cref="KernelCompilationException">An embedded kernel does not compile (carries NVRTC's log).</exception>
    public DriverDevice(int ordinal = 0, bool allowTf32 = false, KernelCache? cache = null, bool loadKernels = true)
    {
        int count = InitializeDriver();
        if (ordinal < 0 || ordinal >= count)
            throw new InvalidOperationException($"CUDA device {ordinal} does not exist: this machine has {count} CUDA device(s) (ordinals 0 to {count - 1}).");
        CudaLibraryResolver.Load(CudaLibrary.Cublas);
        _cache = cache ?? KernelCache.Shared;
        AllowTf32 = allowTf32;
        try
        {
            int device;
            CudaDriver.ThrowIfFailed(CudaDriver.cuDeviceGet(&device, ordinal));
            _device = device;
            Ordinal = ordinal;
            ComputeCapability = QueryComputeCapability(device);
            Name = $"{QueryName(device)} (sm_{ComputeCapability})";
            if (loadKernels) KernelCompiler.RequireArchitecture(ComputeCapability);

            nint context;
            CudaDriver.ThrowIfFailed(CudaDriver.cuDevicePrimaryCtxRetain(&context, device));
            _context = context;
            _contextRetained = true;
            CudaDriver.ThrowIfFailed(CudaDriver.cuCtxSetCurrent(context));

            nint stream;
            CudaDriver.ThrowIfFailed(CudaDriver.cuStreamCreate(&stream, CudaDriver.CU_STREAM_NON_BLOCKING));
            _stream = stream;

            nint handle;
            Cublas.ThrowIfFailed(Cublas.cublasCreate_v2(&handle));
            _cublas = handle;
            Cublas.ThrowIfFailed(Cublas.cublasSetStream_v2(handle, stream));
            SetCublasWorkspace(handle);   // after every cublasSetStream: setting a stream resets cuBLAS's workspace to its own pool
            Cublas.ThrowIfFailed(Cublas.cublasSetMathMode(handle, allowTf32 ? Cublas.CUBLAS_TF32_TENSOR_OP_MATH : Cublas.CUBLAS_DEFAULT_MATH));

            if (loadKernels) LoadAllModules();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Gives the handle a workspace allocated once (freed after the handle in <see cref="Dispose"/>): without
    /// one, cuBLAS allocates from its own pool at a GEMM's first call, which a stream capture cannot hold.
    /// Skipped for a cuBLAS older than 11.4, which has no cublasSetWorkspace.
    /// </summary>
    private void SetCublasWorkspace(nint handle)
    {
        if (CudaLibraryResolver.OptionalExport(CudaLibrary.Cublas, "cublasSetWorkspace_v2") == 0) return;
        long bytes = Cublas.WorkspaceBytes(ComputeCapability);
        if (_cublasWorkspace == 0)
        {
            ulong workspace;
            CudaDriver.ThrowIfFailed(CudaDriver.cuMemAlloc_v2(&workspace, (nuint)bytes));
            _cublasWorkspace = workspace;
        }
        Cublas.ThrowIfFailed(Cublas.cublasSetWorkspace_v2(handle, _cublasWorkspace, (nuint)bytes));
    }

    /// <inheritdoc/>
    public string Name { get; } = "";

    /// <inheritdoc/>
    public int ComputeCapability { get; }

    /// <summary>The CUDA device ordinal.</summary>
    public int Ordinal { get; }

    /// <summary>Whether cuBLAS may use TF32 for FP32 GEMMs.</summary>
    public bool AllowTf32 { get; }

    /// <summary>The kernel cache this device compiles through.</summary>
    internal KernelCache Cache => _cache;

    /// <summary>
    /// Loads the driver library and runs cuInit; returns the number of CUDA devices (at least one).
    /// </summary>
    /// <exception cref="InvalidOperationException">No driver library, the driver does not start, or no device; the message says which.</exception>
    public static int InitializeDriver()
    {
        CudaLibraryResolver.Load(CudaLibrary.Driver);
        var status = CudaDriver.cuInit(0);
        if (status != CUresult.CUDA_SUCCESS)
        {
            var (name, description) = CudaDriver.Describe(status);
            string hint = status switch
            {
                CUresult.CUDA_ERROR_NO_DEVICE => " This machine has no usable NVIDIA GPU (or CUDA_VISIBLE_DEVICES hides them).",
                CUresult.CUDA_ERROR_STUB_LIBRARY => $" {CudaLibraryResolver.LoadedFrom(CudaLibrary.Driver)} is the CUDA toolkit's link stub, not the driver: install the NVIDIA driver.",
                CUresult.CUDA_ERROR_INSUFFICIENT_DRIVER => " The NVIDIA driver is too old: update it.",
                _ => "",
            };
            throw new InvalidOperationException($"The CUDA driver did not start: cuInit(0) failed with {name} ({(int)status}): {description}.{hint}");
        }
        int count;
        CudaDriver.ThrowIfFailed(CudaDriver.cuDeviceGetCount(&count));
        if (count == 0) throw new InvalidOperationException("The CUDA driver reports no devices: this machine has no usable NVIDIA GPU.");
        return count;
    }

    /// <summary>The CUDA driver version as "13.0", from cuDriverGetVersion.</summary>
    public static string DriverVersion()
    {
        int version;
        CudaDriver.ThrowIfFailed(CudaDriver.cuDriverGetVersion(&version));
        return $"{version / 1000}.{version % 1000 / 10}";
    }

    /// <summary>Compute capability of CUDA device <paramref name="device"/> as major·10 + minor.</summary>
    internal static int QueryComputeCapability(int device)
    {
        int major, minor;
        CudaDriver.ThrowIfFailed(CudaDriver.cuDeviceGetAttribute(&major, CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device));
        CudaDriver.ThrowIfFailed(CudaDriver.cuDeviceGetAttribute(&minor, CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device));
        return major * 10 + minor;
    }

    private static string QueryName(int device)
    {
        byte* name = stackalloc byte[256];
        CudaDriver.ThrowIfFailed(CudaDriver.cuDeviceGetName(name, 256, device));
        return Marshal.PtrToStringUTF8((nint)name) ?? "CUDA device";
    }

    /// <summary>
    /// Compiles (through the cache) and loads one kernel file as a module; its kernels become launchable by
    /// name. The constructor loads every embedded kernels/*.cu this way.
    /// </summary>
    /// <exception cref="KernelCompilationException">NVRTC rejected the source (carries the log).</exception>
    internal void LoadModule(KernelFile program, IReadOnlyList<KernelFile> headers)
    {
        LoadCubin(program.Name, _cache.GetCubin(program, headers, ComputeCapability));
    }

    /// <summary>
    /// Compiles every embedded kernels/*.cu in parallel (through the cache, one lock per file), then loads the
    /// modules on this thread, whose context is current. A compile error is thrown as itself.
    /// </summary>
    private void LoadAllModules()
    {
        var programs = KernelSources.Programs;
        var cubins = new byte[programs.Count][];
        try
        {
            Parallel.For(0, programs.Count, i => cubins[i] = _cache.GetCubin(programs[i], KernelSources.Headers, ComputeCapability));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        for (int i = 0; i < programs.Count; i++) LoadCubin(programs[i].Name, cubins[i]);
    }

    private void LoadCubin(string file, byte[] cubin)
    {
        MakeCurrent();
        nint module;
        fixed (byte* image = cubin) Check(CudaDriver.cuModuleLoadData(&module, image));
        lock (_gate) _modules.Add((file, module));
    }

    /// <summary>The CUfunction called <paramref name="kernel"/>, searched across the loaded modules and remembered.</summary>
    private nint Function(string kernel)
    {
        if (_functions.TryGetValue(kernel, out nint function)) return function;
        byte[] name = System.Text.Encoding.UTF8.GetBytes(kernel + "\0");
        lock (_gate)
        {
            foreach (var (_, module) in _modules)
            {
                CUresult status;
                fixed (byte* p = name) status = CudaDriver.cuModuleGetFunction(&function, module, p);
                if (status == CUresult.CUDA_ERROR_NOT_FOUND) continue;
                Check(status, $"cuModuleGetFunction(\"{kernel}\")");
                _functions[kernel] = function;
                return function;
            }
        }
        throw new InvalidOperationException(
            $"No kernel named \"{kernel}\" in the loaded modules ({string.Join(", ", _modules.Select(m => m.File))}): every launch needs an extern \"C\" __global__ function of that name in kernels/*.cu.");
    }

    /// <summary>
    /// Makes this device's context current on the calling thread (a no-op when it already is). Asks the driver
    /// (cuCtxGetCurrent, a thread-local read) rather than a managed cache, which anything else in the process
    /// that sets a context on this thread (PyTorch, another library) would make stale.
    /// </summary>
    private void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        nint current;
        Check(CudaDriver.cuCtxGetCurrent(&current));
        if (current != _context) Check(CudaDriver.cuCtxSetCurrent(_context));
    }

    /// <inheritdoc/>
    public CudaException? Fault => Volatile.Read(ref _fault);

    /// <summary>Throws the driver's error for a failed call, remembering the first device fault.</summary>
    private void Check(CUresult status, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != CUresult.CUDA_SUCCESS) throw Noted(CudaDriver.Failure(status, call));
    }

    private CudaException Noted(CudaException e)
    {
        if (e.IsDeviceFault) Interlocked.CompareExchange(ref _fault, e, null);
        return e;
    }

    /// <inheritdoc/>
    public ulong Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        MakeCurrent();
        ulong pointer;
        // cuMemAlloc rejects 0 bytes; a minimum of 4 keeps every buffer, even an empty one, a distinct valid address.
        Check(CudaDriver.cuMemAlloc_v2(&pointer, (nuint)Math.Max(bytes, 4)));
        lock (_gate) _allocations.Add(pointer);
        return pointer;
    }

    /// <inheritdoc/>
    public void Free(ulong pointer)
    {
        MakeCurrent();
        lock (_gate)
        {
            if (!_allocations.Remove(pointer))
                throw new ArgumentException($"0x{pointer:x} was not allocated by this device, or was freed already.", nameof(pointer));
        }
        Check(CudaDriver.cuMemFree_v2(pointer));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Queued on the stream, then waited for: a plain cuMemcpyHtoD runs on the legacy default stream, which
    /// does not order against our non-blocking stream, so it could overtake queued kernels or race later ones.
    /// </remarks>
    public void CopyToDevice(ulong destination, ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty) return;
        MakeCurrent();
        fixed (byte* p = source)
        {
            Check(CudaDriver.cuMemcpyHtoDAsync_v2(destination, p, (nuint)source.Length, _stream));
            Check(CudaDriver.cuStreamSynchronize(_stream));
        }
    }

    /// <inheritdoc/>
    public void CopyToHost(ulong source, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        MakeCurrent();
        fixed (byte* p = destination)
        {
            Check(CudaDriver.cuMemcpyDtoHAsync_v2(p, source, (nuint)destination.Length, _stream));
            Check(CudaDriver.cuStreamSynchronize(_stream));
        }
    }

    /// <inheritdoc/>
    public nint AllocatePinned(long bytes)
    {
        MakeCurrent();
        void* pointer;
        Check(CudaDriver.cuMemHostAlloc(&pointer, (nuint)Math.Max(bytes, 4), 0));
        lock (_gate) _pinned.Add((nint)pointer);
        return (nint)pointer;
    }

    /// <inheritdoc/>
    public void FreePinned(nint pointer)
    {
        MakeCurrent();
        lock (_gate)
        {
            if (!_pinned.Remove(pointer)) throw new ArgumentException($"0x{pointer:x} is not pinned memory of this device, or was freed already.", nameof(pointer));
        }
        Check(CudaDriver.cuMemFreeHost((void*)pointer));
    }

    /// <inheritdoc/>
    public void CopyToDeviceAsync(ulong destination, nint pinnedSource, long bytes)
    {
        if (bytes == 0) return;
        MakeCurrent();
        Check(CudaDriver.cuMemcpyHtoDAsync_v2(destination, (void*)pinnedSource, (nuint)bytes, _stream));
    }

    /// <inheritdoc/>
    public void CopyToHostAsync(nint pinnedDestination, ulong source, long bytes)
    {
        if (bytes == 0) return;
        MakeCurrent();
        Check(CudaDriver.cuMemcpyDtoHAsync_v2((void*)pinnedDestination, source, (nuint)bytes, _stream));
    }

    /// <inheritdoc/>
    public nint CreateEvent()
    {
        MakeCurrent();
        nint marker;
        Check(CudaDriver.cuEventCreate(&marker, CudaDriver.CU_EVENT_DISABLE_TIMING));
        lock (_gate) _events.Add(marker);
        return marker;
    }

    /// <inheritdoc/>
    public void RecordEvent(nint marker)
    {
        MakeCurrent();
        Check(CudaDriver.cuEventRecord(marker, _stream));
    }

    /// <inheritdoc/>
    public bool EventCompleted(nint marker)
    {
        MakeCurrent();
        var status = CudaDriver.cuEventQuery(marker);
        if (status == CUresult.CUDA_ERROR_NOT_READY) return false;
        Check(status);
        return true;
    }

    /// <inheritdoc/>
    public void DestroyEvent(nint marker)
    {
        MakeCurrent();
        lock (_gate)
        {
            if (!_events.Remove(marker)) throw new ArgumentException("not a live event of this device", nameof(marker));
        }
        Check(CudaDriver.cuEventDestroy_v2(marker));
    }

    /// <inheritdoc/>
    public void CopyOnDevice(ulong destination, ulong source, long bytes)
    {
        if (bytes == 0) return;
        MakeCurrent();
        Check(CudaDriver.cuMemcpyDtoDAsync_v2(destination, source, (nuint)bytes, _stream));
    }

    /// <inheritdoc/>
    public void Fill32(ulong destination, uint value, long count)
    {
        if (count == 0) return;
        MakeCurrent();
        Check(CudaDriver.cuMemsetD32Async(destination, value, (nuint)count, _stream));
    }

    /// <inheritdoc/>
    public void Launch(string kernel, Dim3 grid, Dim3 block, int sharedBytes, void** parameters)
    {
        MakeCurrent();
        nint function = Function(kernel);
        var status = CudaDriver.cuLaunchKernel(function, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, (uint)sharedBytes, _stream, parameters, null);
        if (status != CUresult.CUDA_SUCCESS)
            throw Noted(CudaDriver.Failure(status, $"cuLaunchKernel({kernel}, grid ({grid.X},{grid.Y},{grid.Z}), block ({block.X},{block.Y},{block.Z}), shared {sharedBytes} B)"));
    }

    /// <inheritdoc/>
    public void SgemmColumnMajor(bool transA, bool transB, int m, int n, int k, float alpha, ulong a, int lda, ulong b, int ldb, float beta, ulong c, int ldc)
    {
        MakeCurrent();
        Cublas.ThrowIfFailed(Cublas.cublasSgemm_v2(_cublas, transA ? Cublas.CUBLAS_OP_T : Cublas.CUBLAS_OP_N, transB ? Cublas.CUBLAS_OP_T : Cublas.CUBLAS_OP_N,
            m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc));
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        MakeCurrent();
        Check(CudaDriver.cuStreamSynchronize(_stream));
    }

    /// <inheritdoc/>
    public (long Free, long Total) MemoryInfo()
    {
        MakeCurrent();
        nuint free, total;
        Check(CudaDriver.cuMemGetInfo_v2(&free, &total));
        return ((long)free, (long)total);
    }

    /// <inheritdoc/>
    public void BeginCapture()
    {
        MakeCurrent();
        Check(CudaDriver.cuStreamBeginCapture_v2(_stream, CudaDriver.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL));
    }

    /// <inheritdoc/>
    /// <remarks>The graph is instantiated and then destroyed at once: the executable graph is independent of it.</remarks>
    public nint EndCapture()
    {
        MakeCurrent();
        nint graph = 0, exec;
        try
        {
            // An invalidated capture (an error while recording) fails here; the stream has left capture mode either way.
            Check(CudaDriver.cuStreamEndCapture(_stream, &graph));
            Check(CudaDriver.cuGraphInstantiateWithFlags(&exec, graph, 0));
        }
        finally
        {
            if (graph != 0) CudaDriver.cuGraphDestroy(graph);
        }
        lock (_gate) _captures.Add(exec);
        return exec;
    }

    /// <inheritdoc/>
    public void AbortCapture()
    {
        if (_disposed) return;
        nint graph = 0;
        // Statuses are ignored: the capture may have been invalidated, or never begun; the stream leaves capture mode either way.
        if (CudaDriver.cuCtxSetCurrent(_context) != CUresult.CUDA_SUCCESS) return;
        CudaDriver.cuStreamEndCapture(_stream, &graph);
        if (graph != 0) CudaDriver.cuGraphDestroy(graph);
    }

    /// <inheritdoc/>
    public void Replay(nint capture)
    {
        MakeCurrent();
        Check(CudaDriver.cuGraphLaunch(capture, _stream));
    }

    /// <inheritdoc/>
    public void DestroyCapture(nint capture)
    {
        MakeCurrent();
        lock (_gate)
        {
            if (!_captures.Remove(capture)) throw new ArgumentException("not a live capture of this device", nameof(capture));
        }
        Check(CudaDriver.cuGraphExecDestroy(capture));
    }

    /// <summary>Number of live allocations (for tests).</summary>
    internal int LiveAllocations
    {
        get { lock (_gate) return _allocations.Count; }
    }

    /// <summary>
    /// Waits for queued work, then releases everything in reverse order of creation: captured graphs,
    /// memory still allocated, modules, the cuBLAS handle, the stream and the primary-context reference.
    /// Errors at this point (e.g. a sticky error from a failed kernel) do not stop the release.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_contextRetained) return;
        CudaDriver.cuCtxSetCurrent(_context);
        if (_stream != 0) CudaDriver.cuStreamSynchronize(_stream);
        lock (_gate)
        {
            foreach (var exec in _captures) CudaDriver.cuGraphExecDestroy(exec);
            foreach (var pointer in _allocations) CudaDriver.cuMemFree_v2(pointer);
            foreach (var marker in _events) CudaDriver.cuEventDestroy_v2(marker);
            foreach (var pointer in _pinned) CudaDriver.cuMemFreeHost((void*)pointer);
            foreach (var (_, module) in _modules) CudaDriver.cuModuleUnload(module);
            _captures.Clear();
            _allocations.Clear();
            _events.Clear();
            _pinned.Clear();
            _modules.Clear();
            _functions.Clear();
        }
        if (_cublas != 0) Cublas.cublasDestroy_v2(_cublas);
        if (_cublasWorkspace != 0) CudaDriver.cuMemFree_v2(_cublasWorkspace);   // after the handle that used it
        if (_stream != 0) CudaDriver.cuStreamDestroy_v2(_stream);
        CudaDriver.cuDevicePrimaryCtxRelease_v2(_device);
        _contextRetained = false;
    }
}
