using System.Runtime.InteropServices;
using SequentialNet.Backends.Cpu;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The other side of <see cref="IGpuDevice"/> (docs/testing.md, "Without a GPU"): device memory is host memory
/// (a device pointer is the host address), copies are memcpy, kernels are the real kernels/*.cu compiled
/// for the host (<see cref="EmulatedLibrary"/>), and SGEMM runs on the CPU backend's Sgemm. Work runs when
/// it is queued, so <see cref="Synchronize"/> has nothing to wait for.
/// </summary>
/// <remarks>
/// It is stricter than it needs to be wherever the real driver would fail: every copy, fill and GEMM
/// operand must lie inside one live allocation; launches are checked against cuLaunchKernel's limits;
/// during a capture only what a CUDA graph can hold (launches, device copies, fills, GEMMs) is accepted.
/// New allocations are filled with 0xFF bytes (NaN as float, -1 as int) so code that reads memory it never
/// wrote fails the parity tests. <see cref="LaunchOverride"/> lets a test launch deliberately wrong shapes.
/// </remarks>
internal sealed unsafe partial class EmulatedDevice : IGpuDevice
{
    /// <summary>cudaMalloc's alignment.</summary>
    private const int Alignment = 256;

    private readonly object _gate = new();
    private readonly List<ulong> _starts = [];             // sorted
    private readonly Dictionary<ulong, long> _sizes = [];
    private readonly Dictionary<string, int> _launchCounts = new(StringComparer.Ordinal);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> s_launched = new(StringComparer.Ordinal);
    private readonly long _capacity;
    private long _allocated;
    private bool _disposed;

    /// <summary>A device with <paramref name="capacityBytes"/> of nominal memory (what <see cref="MemoryInfo"/> reports).</summary>
    public EmulatedDevice(long capacityBytes = 8L << 30)
    {
        string? why = EmulatedLibrary.UnavailableReason;
        if (why != null) throw new InvalidOperationException(why);
        _capacity = capacityBytes;
        LaunchOverride = ShortGridFromEnvironment();
    }

    /// <summary>
    /// The variable that makes every emulated device launch the named kernels (comma-separated, or *) with a
    /// grid one block short whenever it has more than one block: run the Emulated tests with it set to see
    /// the parity tests fail, e.g. SEQUENTIAL_NET_EMU_SHORT_GRID=sum_rows_f32.
    /// </summary>
    public const string ShortGridVariable = "SEQUENTIAL_NET_EMU_SHORT_GRID";

    private static Func<string, Dim3, Dim3, (Dim3, Dim3)>? ShortGridFromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(ShortGridVariable);
        if (string.IsNullOrWhiteSpace(value)) return null;
        var kernels = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return (kernel, grid, block) => (kernels.Contains("*") || kernels.Contains(kernel)) && grid.X > 1 ? (grid with { X = grid.X - 1 }, block) : (grid, block);
    }

    /// <inheritdoc/>
    public string Name => "emulated device (kernels/*.cu on the host)";

    /// <inheritdoc/>
    /// <remarks>sm_80, the older of the two architectures the NVRTC check compiles for.</remarks>
    public int ComputeCapability => 80;

    /// <summary>
    /// Test hook: maps each launch's (kernel, grid, block) to the shape actually run, e.g. a grid one block
    /// short. Applied when the launch runs (also on replay).
    /// </summary>
    public Func<string, Dim3, Dim3, (Dim3 Grid, Dim3 Block)>? LaunchOverride { get; set; }

    private int _hostReads;

    /// <summary>
    /// Host synchronizations: the calls that make the CPU wait for queued device work — a blocking read back
    /// (<see cref="CopyToHost"/>), a blocking upload from pageable memory (<see cref="CopyToDevice"/>, which the
    /// driver device queues and then waits for) and <see cref="Synchronize"/>. On a GPU each one drains the
    /// stream, so the CPU cannot queue the next step while the device runs this one. The queued copies to and
    /// from pinned memory and event queries (EmulatedDevice.Async.cs) are not counted: they never wait.
    /// </summary>
    public int HostSynchronizations => Volatile.Read(ref _hostReads);

    /// <summary>Number of live allocations.</summary>
    public int LiveAllocations
    {
        get { lock (_gate) return _sizes.Count; }
    }

    /// <summary>How often each kernel was launched (replays included).</summary>
    public IReadOnlyDictionary<string, int> LaunchCounts
    {
        get { lock (_gate) return new Dictionary<string, int>(_launchCounts); }
    }

    /// <summary>Every kernel any emulated device of this process has launched (the coverage report of the Emulated tests).</summary>
    public static IReadOnlyCollection<string> LaunchedKernels => (IReadOnlyCollection<string>)s_launched.Keys;

    /// <inheritdoc/>
    public ulong Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ThrowIfDisposed();
        ThrowIfCapturing(nameof(Allocate));
        FaultPoint("allocate");
        // As the driver device: cuMemAlloc rejects 0 bytes, so every allocation gets at least 4.
        bytes = Math.Max(bytes, 4);
        lock (_gate)
        {
            if (_allocated + bytes > _capacity)
                throw new InvalidOperationException($"Allocate({bytes}): out of memory on the emulated device ({_allocated} of {_capacity} bytes in use; CUDA_ERROR_OUT_OF_MEMORY).");
            ulong pointer = (ulong)NativeMemory.AlignedAlloc((nuint)bytes, Alignment);
            NativeMemory.Fill((void*)pointer, (nuint)bytes, 0xFF);
            int index = _starts.BinarySearch(pointer);
            _starts.Insert(~index, pointer);
            _sizes.Add(pointer, bytes);
            _allocated += bytes;
            return pointer;
        }
    }

    /// <inheritdoc/>
    public void Free(ulong pointer)
    {
        ThrowIfDisposed();
        NoteFreeAttempt(pointer);
        ThrowIfCapturing(nameof(Free));
        FaultPoint("free");
        lock (_gate)
        {
            if (!_sizes.Remove(pointer, out long bytes))
                throw new ArgumentException($"0x{pointer:x} was not allocated by this device, or was freed already.", nameof(pointer));
            _starts.RemoveAt(_starts.BinarySearch(pointer));
            _allocated -= bytes;
        }
        NativeMemory.AlignedFree((void*)pointer);
    }

    /// <inheritdoc/>
    public void CopyToDevice(ulong destination, ReadOnlySpan<byte> source)
    {
        ThrowIfDisposed();
        if (source.IsEmpty) return;
        ThrowIfCapturing(nameof(CopyToDevice));
        FaultPoint("copy-to-device");
        Interlocked.Increment(ref _hostReads);
        RequireRange(destination, source.Length, nameof(CopyToDevice), "destination");
        source.CopyTo(new Span<byte>((void*)destination, source.Length));
    }

    /// <inheritdoc/>
    public void CopyToHost(ulong source, Span<byte> destination)
    {
        ThrowIfDisposed();
        if (destination.IsEmpty) return;
        ThrowIfCapturing(nameof(CopyToHost));
        FaultPoint("copy-to-host");
        Interlocked.Increment(ref _hostReads);
        RequireRange(source, destination.Length, nameof(CopyToHost), "source");
        new ReadOnlySpan<byte>((void*)source, destination.Length).CopyTo(destination);
    }

    /// <inheritdoc/>
    public void CopyOnDevice(ulong destination, ulong source, long bytes)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes == 0) return;
        if (Record(new CopyOp(destination, source, bytes))) return;
        RunCopy(destination, source, bytes);
    }

    /// <inheritdoc/>
    public void Fill32(ulong destination, uint value, long count)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return;
        if (Record(new FillOp(destination, value, count))) return;
        RunFill(destination, value, count);
    }

    /// <inheritdoc/>
    public void Launch(string kernel, Dim3 grid, Dim3 block, int sharedBytes, void** parameters)
    {
        ThrowIfDisposed();
        int id = EmulatedLibrary.FindKernel(kernel);
        if (id < 0)
            throw new InvalidOperationException($"Launch: no kernel named \"{kernel}\" in kernels/*.cu (the emulated library has no extern \"C\" __global__ of that name; CUDA_ERROR_NOT_FOUND).");
        FaultPoint("launch:" + kernel);
        if (_capture != null)
        {
            _capture.Add(LaunchOp.Record(id, kernel, grid, block, sharedBytes, parameters));
            return;
        }
        RunLaunch(id, kernel, grid, block, sharedBytes, parameters);
    }

    /// <inheritdoc/>
    public void SgemmColumnMajor(bool transA, bool transB, int m, int n, int k, float alpha, ulong a, int lda, ulong b, int ldb, float beta, ulong c, int ldc)
    {
        ThrowIfDisposed();
        var op = new GemmOp(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        ValidateGemm(op);
        if (Record(op)) return;
        RunGemm(op);
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        ThrowIfDisposed();
        ThrowIfCapturing(nameof(Synchronize));
        FaultPoint("synchronize");
        Interlocked.Increment(ref _hostReads);
    }

    /// <inheritdoc/>
    public (long Free, long Total) MemoryInfo()
    {
        ThrowIfDisposed();
        lock (_gate) return (_capacity - _allocated, _capacity);
    }

    /// <summary>Frees every capture and every allocation still live (as destroying a context would).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            NoteDispose();
            foreach (var capture in _captures.Values) capture.Free();
            _captures.Clear();
            _capture?.Free();
            _capture = null;
            foreach (ulong pointer in _starts) NativeMemory.AlignedFree((void*)pointer);
            _starts.Clear();
            _sizes.Clear();
            _allocated = 0;
            FreeAllPinned();
        }
    }

    // ---- execution (direct, or from a replayed capture) ---------------------------------------------------

    private void RunCopy(ulong destination, ulong source, long bytes)
    {
        RequireRange(destination, bytes, nameof(CopyOnDevice), "destination");
        RequireRange(source, bytes, nameof(CopyOnDevice), "source");
        Buffer.MemoryCopy((void*)source, (void*)destination, bytes, bytes);
    }

    private void RunFill(ulong destination, uint value, long count)
    {
        RequireRange(destination, count * 4, nameof(Fill32), "destination");
        for (long done = 0; done < count;)
        {
            int chunk = (int)Math.Min(count - done, 1 << 28);
            new Span<uint>((uint*)destination + done, chunk).Fill(value);
            done += chunk;
        }
    }

    private void RunLaunch(int id, string kernel, Dim3 grid, Dim3 block, int sharedBytes, void** parameters)
    {
        if (LaunchOverride is { } change) (grid, block) = change(kernel, grid, block);
        lock (_gate)
        {
            if (_launchCounts.TryGetValue(kernel, out int count)) _launchCounts[kernel] = count + 1;
            else
            {
                _launchCounts[kernel] = 1;
                s_launched.TryAdd(kernel, 0);
            }
        }
        int status = EmulatedLibrary.Launch(id, grid, block, sharedBytes, parameters);
        if (status != EmulatedLibrary.Ok)
            throw new InvalidOperationException($"Emulated launch of {kernel} (grid ({grid.X},{grid.Y},{grid.Z}), block ({block.X},{block.Y},{block.Z}), shared {sharedBytes} B) failed: {EmulatedLibrary.LastError()}");
    }

    /// <summary>cuBLAS's argument checks (CUBLAS_STATUS_INVALID_VALUE) and the operands' extents.</summary>
    private void ValidateGemm(GemmOp g)
    {
        if (g.M < 0 || g.N < 0 || g.K < 0)
            throw new ArgumentOutOfRangeException(nameof(g.M), $"SgemmColumnMajor: negative size ({g.M}, {g.N}, {g.K}) (CUBLAS_STATUS_INVALID_VALUE).");
        int rowsA = g.TransA ? g.K : g.M, rowsB = g.TransB ? g.N : g.K;
        if (g.Lda < Math.Max(1, rowsA) || g.Ldb < Math.Max(1, rowsB) || g.Ldc < Math.Max(1, g.M))
            throw new ArgumentOutOfRangeException(nameof(g.Lda),
                $"SgemmColumnMajor: leading dimensions lda={g.Lda}, ldb={g.Ldb}, ldc={g.Ldc} below max(1, {rowsA}), max(1, {rowsB}), max(1, {g.M}) (CUBLAS_STATUS_INVALID_VALUE).");
        if (g.M == 0 || g.N == 0) return;
        RequireRange(g.C, ColumnMajorBytes(g.M, g.N, g.Ldc), "SgemmColumnMajor", "C");
        if (g.K == 0 || g.Alpha == 0f) return;
        RequireRange(g.A, ColumnMajorBytes(rowsA, g.TransA ? g.M : g.K, g.Lda), "SgemmColumnMajor", "A");
        RequireRange(g.B, ColumnMajorBytes(rowsB, g.TransB ? g.K : g.N, g.Ldb), "SgemmColumnMajor", "B");
    }

    private static long ColumnMajorBytes(int rows, int cols, int ld) => ((long)(cols - 1) * ld + rows) * sizeof(float);

    /// <summary>
    /// Column-major C(m,n) = α·op(A)·op(B) + β·C on the CPU's row-major Sgemm: a column-major (r, c) matrix
    /// with leading dimension ld is, byte for byte, a row-major (c, r) matrix with row stride ld. So Cᵀ(n, m)
    /// = α·op(B)ᵀ·op(A)ᵀ + β·Cᵀ, row-major, where the stored B read row-major is op(B)ᵀ exactly when B is not
    /// transposed (and the same for A): swap the operands and m with n, keep each transpose flag with its
    /// operand, keep every leading dimension.
    /// </summary>
    private static void RunGemm(GemmOp g)
    {
        if (g.M == 0 || g.N == 0) return;
        Sgemm.Run(g.TransB, g.TransA, g.N, g.M, g.K, g.Alpha, (float*)g.B, g.Ldb, (float*)g.A, g.Lda, g.Beta, (float*)g.C, g.Ldc);
    }

    private void RequireRange(ulong pointer, long bytes, string who, string operand)
    {
        lock (_gate)
        {
            int index = _starts.BinarySearch(pointer);
            if (index < 0) index = ~index - 1;
            if (index >= 0)
            {
                ulong start = _starts[index];
                if (pointer + (ulong)bytes <= start + (ulong)_sizes[start]) return;
                throw new ArgumentOutOfRangeException(operand,
                    $"{who}: {operand} [0x{pointer:x}, +{bytes}) runs past its allocation [0x{start:x}, +{_sizes[start]}) (CUDA_ERROR_INVALID_VALUE on a GPU, or memory corruption).");
            }
            throw new ArgumentOutOfRangeException(operand, $"{who}: {operand} 0x{pointer:x} is not device memory of this device (freed, or a host pointer).");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
