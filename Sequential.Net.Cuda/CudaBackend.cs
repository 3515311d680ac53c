using System.Runtime.InteropServices;
using SequentialNet.Backends;

namespace SequentialNet.Cuda;

/// <summary>
/// The CUDA backend: every <see cref="IBackend"/> primitive as a launch of a kernel of kernels/*.cu (or a
/// cuBLAS SGEMM through <see cref="GemmGateway"/>) on one <see cref="IGpuDevice"/> — the CUDA driver on a
/// GPU, or the emulated device that runs the same kernels on the host.
/// </summary>
/// <remarks>
/// Work is queued in stream order and runs asynchronously; only the downloads and
/// <see cref="Synchronize"/> wait. Each kernel has exactly one launcher here (grid and block shape,
/// preconditions, launch); launchers allocate nothing on the managed heap (kernel parameters are pointers
/// to locals in a stackalloc'd array, kernel names are cached strings), so a training step stays
/// allocation-free and can be captured and replayed. Results match the CPU backend within the tolerances
/// of docs/testing.md; dropout masks and shuffles are bit-identical to it (the same Philox and Feistel functions).
/// Device memory is owned by the buffers this backend hands out and freed when they are disposed; whatever
/// is still allocated when the backend is disposed is freed then, never by the garbage collector.
/// </remarks>
public sealed unsafe partial class CudaBackend : IBackend, IStepCapture, IDeviceFault
{
    // Per-block partial sums of the two-pass reductions and per-chunk sums of the row-split column reductions
    // (1 Mi floats, 4 MiB, allocated once: a recorded step keeps pointing at it).
    private const int ScratchLength = 1 << 20;

    private readonly IGpuDevice _device;
    private readonly bool _ownsDevice;
    private readonly string _name;
    private readonly HashSet<CudaBuffer> _live = [];
    private readonly HashSet<nint> _captures = [];
    private readonly object _gate = new();
    private readonly CudaBuffer _scratch;
    private bool _disposed;

    /// <summary>
    /// A backend over <paramref name="device"/>, disposing it at the end when <paramref name="ownsDevice"/>.
    /// <paramref name="convWorkspaceFloats"/>: the size of the convolution workspace (tests make it small so a
    /// convolution runs in many blocks).
    /// </summary>
    internal CudaBackend(IGpuDevice device, int ordinal = 0, bool ownsDevice = true, int convWorkspaceFloats = ConvWorkspaceFloats)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _ownsDevice = ownsDevice;
        _name = $"cuda:{ordinal} ({device.Name})";
        _scratch = AllocateBuffer(ScratchLength, isInt: false);
        _convWorkspace = AllocateBuffer(convWorkspaceFloats, isInt: false, zero: false);
        lock (_gate)
        {
            _live.Remove(_scratch);            // the backend's own: freed last, not counted as live
            _live.Remove(_convWorkspace);
        }
    }

    /// <inheritdoc/>
    public string Name => _name;

    /// <inheritdoc/>
    public Exception? Fault => _device.Fault;

    /// <summary>The device this backend runs on.</summary>
    internal IGpuDevice Device => _device;

    // ---- memory --------------------------------------------------------------------------------

    /// <inheritdoc/>
    public DeviceBuffer Allocate(int length) => AllocateBuffer(length, isInt: false);

    /// <inheritdoc/>
    public DeviceBuffer AllocateInt(int length) => AllocateBuffer(length, isInt: true);

    /// <inheritdoc/>
    public DeviceBuffer View(DeviceBuffer buffer, int offset, int length) => B(buffer).Slice(offset, length);

    /// <inheritdoc/>
    /// <remarks>Staged through pinned memory and queued (CudaBackend.Readback.cs): the host does not wait for the device.</remarks>
    public DeviceBuffer UseHostData(float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var buffer = AllocateBuffer(data.Length, isInt: false, zero: false);
        if (data.Length > 0) UploadStaged(buffer.Pointer, MemoryMarshal.AsBytes(data.AsSpan()));
        return buffer;
    }

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<float> src, DeviceBuffer dst)
    {
        var d = B(dst);
        if (d.Length != src.Length) throw LengthMismatch(nameof(Upload), d.Length, src.Length);
        if (src.Length > 0) _device.CopyToDevice(d.Pointer, MemoryMarshal.AsBytes(src));
    }

    /// <inheritdoc/>
    public void UploadInt(ReadOnlySpan<int> src, DeviceBuffer dst)
    {
        var d = B(dst);
        if (d.Length != src.Length) throw LengthMismatch(nameof(UploadInt), d.Length, src.Length);
        if (src.Length > 0) _device.CopyToDevice(d.Pointer, MemoryMarshal.AsBytes(src));
    }

    /// <inheritdoc/>
    public void Download(DeviceBuffer src, Span<float> dst)
    {
        var s = B(src);
        if (s.Length != dst.Length) throw LengthMismatch(nameof(Download), s.Length, dst.Length);
        if (dst.Length > 0) _device.CopyToHost(s.Pointer, MemoryMarshal.AsBytes(dst));
        else _device.Synchronize();
        ReleaseStaging();
    }

    /// <inheritdoc/>
    public void DownloadInt(DeviceBuffer src, Span<int> dst)
    {
        var s = B(src);
        if (s.Length != dst.Length) throw LengthMismatch(nameof(DownloadInt), s.Length, dst.Length);
        if (dst.Length > 0) _device.CopyToHost(s.Pointer, MemoryMarshal.AsBytes(dst));
        else _device.Synchronize();
        ReleaseStaging();
    }

    /// <inheritdoc/>
    public void Fill(DeviceBuffer dst, float value)
    {
        var d = B(dst);
        if (d.Length > 0) _device.Fill32(d.Pointer, BitConverter.SingleToUInt32Bits(value), d.Length);
    }

    /// <inheritdoc/>
    public void Copy(DeviceBuffer src, DeviceBuffer dst)
    {
        CudaBuffer s = B(src), d = B(dst);
        if (d.Length < s.Length) throw TooShort(nameof(Copy), nameof(dst), s.Length, d.Length);
        if (s.Length > 0) _device.CopyOnDevice(d.Pointer, s.Pointer, (long)s.Length * 4);
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        _device.Synchronize();
        ReleaseStaging();
    }

    // ---- dense math ----------------------------------------------------------------------------

    /// <inheritdoc/>
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"Gemm: negative size ({m}, {n}, {k}).");
        CudaBuffer pa = B(a), pb = B(b), pc = B(c);
        if (pa.Length < (long)m * k) throw TooShort(nameof(Gemm), nameof(a), (long)m * k, pa.Length);
        if (pb.Length < (long)k * n) throw TooShort(nameof(Gemm), nameof(b), (long)k * n, pb.Length);
        if (pc.Length < (long)m * n) throw TooShort(nameof(Gemm), nameof(c), (long)m * n, pc.Length);
        GemmGateway.RowMajor(_device, transA, transB, m, n, k, alpha, pa.Pointer, pb.Pointer, beta, pc.Pointer);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// cuBLAS SGEMM, then ONE pass over C that adds the bias row and applies the activation ("{Kernel}_bias_fwd_f32"
    /// of kernels/unary.cu): the same operations as the unfused ops, so the same values. (A cuBLASLt epilogue
    /// could fold that pass into the GEMM for bias and bias+ReLU.)
    /// </remarks>
    public void GemmBiasActivation<TOp>(in TOp activation, int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer bias, DeviceBuffer c) where TOp : struct, IUnaryOp
    {
        CudaBuffer pbias = B(bias), pc = B(c);
        if (pbias.Length < n) throw TooShort(nameof(GemmBiasActivation), nameof(bias), n, pbias.Length);
        Gemm(false, false, m, n, k, 1f, a, b, 0f, c);
        int elements = checked(m * n);
        if (elements == 0) return;
        ulong pdata = pc.Pointer, pb = pbias.Pointer;
        float p = UnaryParameter(activation);
        void** args = stackalloc void*[5];
        args[0] = &pdata; args[1] = &pb; args[2] = &m; args[3] = &n; args[4] = &p;
        _device.Launch(UnaryKernel<TOp>.BiasForward, new Dim3(ElementwiseBlocks(elements)), new Dim3(ElementwiseThreads), 0, args);
    }

    // ---- whole-step capture ------------------------------------------------------------------------

    /// <summary>Starts recording the queued work (kernels, GEMMs, device copies) instead of running it.</summary>
    public void BeginCapture() => _device.BeginCapture();

    /// <summary>Ends the recording; the handle replays the work with <see cref="Replay"/>.</summary>
    public nint EndCapture()
    {
        nint capture = _device.EndCapture();
        lock (_gate) _captures.Add(capture);
        return capture;
    }

    /// <summary>Ends a recording that failed half-way and destroys what it holds, so the stream runs work again.</summary>
    public void AbortCapture() => _device.AbortCapture();

    /// <summary>Enqueues a recorded step once (it reads its step counter, cursor and learning rate on the device).</summary>
    public void Replay(nint capture) => _device.Replay(capture);

    /// <summary>Frees a recorded step (also done for all of them when the backend is disposed).</summary>
    public void DestroyCapture(nint capture)
    {
        lock (_gate)
            if (!_captures.Remove(capture)) return;
        AfterFault(() => _device.DestroyCapture(capture));
    }

    /// <summary>
    /// Runs a release step; after a device fault that was already reported, its failure (the same sticky
    /// error again) is dropped, so a Dispose after the fault neither hides it nor stops half-way.
    /// </summary>
    private void AfterFault(Action release)
    {
        CudaException? known = _device.Fault;
        try
        {
            release();
        }
        catch (Exception) when (known != null)
        {
        }
    }

    // ---- ownership -------------------------------------------------------------------------------

    private CudaBuffer AllocateBuffer(int length, bool isInt, bool zero = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int words = Math.Max(1, length);                  // a zero-length buffer still has a valid address
        ulong pointer = _device.Allocate((long)words * 4);
        if (zero) _device.Fill32(pointer, 0, words);
        var buffer = CudaBuffer.Owning(this, pointer, length, isInt);
        lock (_gate) _live.Add(buffer);
        return buffer;
    }

    /// <summary>Frees an owning buffer (from <see cref="CudaBuffer.Dispose"/>); nothing once the backend is disposed.</summary>
    internal void Release(CudaBuffer buffer)
    {
        lock (_gate)
            if (_disposed || !_live.Remove(buffer)) return;
        AfterFault(() => _device.Free(buffer.Pointer));
    }

    /// <summary>Number of owning buffers handed out and not yet disposed (for leak checks; the backend's scratch is not counted).</summary>
    internal int LiveBufferCount
    {
        get { lock (_gate) return _live.Count; }
    }

    /// <summary>
    /// Frees every recorded step and every buffer still allocated, then the device if this backend owns it.
    /// Every release is tried even when one fails. After a device fault that an earlier call already reported,
    /// their failures are that fault again and are dropped; otherwise the first failure is thrown at the end.
    /// </summary>
    public void Dispose()
    {
        CudaBuffer[] live;
        nint[] captures;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            live = [.. _live];
            captures = [.. _captures];
            _live.Clear();
            _captures.Clear();
        }
        CudaException? known = _device.Fault;
        Exception? first = null;
        void Try(Action release)
        {
            try { release(); }
            catch (Exception e) { first ??= e; }
        }
        foreach (nint capture in captures) Try(() => _device.DestroyCapture(capture));
        Try(FreeStaging);
        foreach (var buffer in live)
        {
            buffer.MarkFreed();
            Try(() => _device.Free(buffer.Pointer));
        }
        _scratch.MarkFreed();
        Try(() => _device.Free(_scratch.Pointer));
        _convWorkspace.MarkFreed();
        Try(() => _device.Free(_convWorkspace.Pointer));
        if (_ownsDevice) Try(_device.Dispose);
        if (first != null && known == null) throw first;
    }

    // ---- launch helpers --------------------------------------------------------------------------------

    private const int ElementwiseThreads = 256;
    private const int MaxElementwiseBlocks = 4096;   // grid-stride loops cover the rest
    private const int MaxRowBlocks = 65535;          // row kernels walk the rows with a grid-stride loop

    private static CudaBuffer B(DeviceBuffer buffer) => buffer as CudaBuffer
        ?? throw new ArgumentException($"Expected a buffer of the CUDA backend. Received: {buffer?.GetType().Name ?? "null"}.", nameof(buffer));

    /// <summary>Blocks of <see cref="ElementwiseThreads"/> for a grid-stride loop over <paramref name="n"/> items.</summary>
    private static uint ElementwiseBlocks(long n) => (uint)Math.Min((n + ElementwiseThreads - 1) / ElementwiseThreads, MaxElementwiseBlocks);

    /// <summary>
    /// Launch shape of the row kernels (kernels/common.cuh): a warp per row and 8 rows per block for narrow
    /// rows, else one block per row with enough threads for about 8 columns each (at most 1024).
    /// </summary>
    private static (Dim3 Grid, Dim3 Block) RowShape(int rows, int cols)
    {
        uint perRow = cols <= 256 ? 32u : cols <= 1024 ? 128u : cols <= 2048 ? 256u : cols <= 4096 ? 512u : 1024u;
        uint rowsPerBlock = perRow == 32u ? 8u : 1u;
        uint blocks = (uint)Math.Min(((long)rows + rowsPerBlock - 1) / rowsPerBlock, MaxRowBlocks);
        return (new Dim3(blocks), new Dim3(perRow, rowsPerBlock));
    }

    private static CudaBuffer RequireInt(DeviceBuffer counters, int slot, string who)
    {
        var c = B(counters);
        if (!c.IsInt) throw new ArgumentException($"{who}: the counters must be an int buffer.", nameof(counters));
        if ((uint)slot >= (uint)c.Length) throw new ArgumentOutOfRangeException(nameof(slot), $"{who}: counter slot {slot} is outside the {c.Length} counters.");
        return c;
    }

    private static ArgumentException LengthMismatch(string who, int expected, int received)
        => new($"{who}: expected {expected} elements. Received: {received}.");

    private static ArgumentException TooShort(string who, string name, long needed, int length)
        => new($"{who}: {name} needs at least {needed} elements. Received a buffer of {length}.", name);
}
