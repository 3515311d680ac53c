using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Tests.Emulated;

// Capture and replay: between BeginCapture and EndCapture the device records launches (with a copy of their
// argument values, as cuLaunchKernel does), device copies, fills and GEMMs instead of running them; a replay
// runs the list again. What a captured CUDA stream refuses (host copies, synchronisation, allocation) throws.
internal sealed unsafe partial class EmulatedDevice
{
    private readonly Dictionary<nint, Capture> _captures = [];
    private Capture? _capture;
    private nint _nextCapture = 1;

    /// <inheritdoc/>
    public void BeginCapture()
    {
        ThrowIfDisposed();
        if (_capture != null) throw new InvalidOperationException("BeginCapture: a capture is already in progress (CUDA_ERROR_ILLEGAL_STATE).");
        _capture = new Capture();
    }

    /// <inheritdoc/>
    public nint EndCapture()
    {
        ThrowIfDisposed();
        var capture = _capture ?? throw new InvalidOperationException("EndCapture: no capture in progress (CUDA_ERROR_ILLEGAL_STATE).");
        _capture = null;   // as cuStreamEndCapture: the stream leaves capture mode even when the capture failed
        try
        {
            FaultPoint("end-capture");
            FaultPoint("instantiate");
        }
        catch
        {
            capture.Free();
            throw;
        }
        lock (_gate)
        {
            nint handle = _nextCapture++;
            _captures.Add(handle, capture);
            CaptureCounts = (CaptureCounts.Recorded + 1, CaptureCounts.Replayed);
            return handle;
        }
    }

    /// <inheritdoc/>
    public void Replay(nint capture)
    {
        ThrowIfDisposed();
        ThrowIfCapturing(nameof(Replay));
        FaultPoint("replay");
        Capture? recorded;
        lock (_gate) _captures.TryGetValue(capture, out recorded);
        if (recorded == null) throw new ArgumentException($"Replay: {capture} is not a live capture of this device.", nameof(capture));
        lock (_gate) CaptureCounts = (CaptureCounts.Recorded, CaptureCounts.Replayed + 1);
        foreach (var op in recorded.Ops) op.Run(this);
    }

    /// <inheritdoc/>
    public void DestroyCapture(nint capture)
    {
        ThrowIfDisposed();
        FaultPoint("destroy-capture");
        Capture? recorded;
        lock (_gate)
        {
            if (!_captures.Remove(capture, out recorded))
                throw new ArgumentException($"DestroyCapture: {capture} is not a live capture of this device.", nameof(capture));
        }
        recorded.Free();
    }

    /// <summary>Captures recorded and replays run over the device's life.</summary>
    public (int Recorded, int Replayed) CaptureCounts { get; private set; }

    /// <summary>Number of live captures.</summary>
    public int LiveCaptures
    {
        get { lock (_gate) return _captures.Count; }
    }

    private bool Record(Op op)
    {
        if (_capture == null) return false;
        _capture.Add(op);
        return true;
    }

    private void ThrowIfCapturing(string who)
    {
        if (_capture != null)
            throw new InvalidOperationException($"{who} during a capture: a captured CUDA stream cannot hold it (CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED). A captured step must not copy to or from the host, wait, or allocate.");
    }

    private sealed class Capture
    {
        public List<Op> Ops { get; } = [];

        public void Add(Op op) => Ops.Add(op);

        public void Free()
        {
            foreach (var op in Ops) op.Free();
            Ops.Clear();
        }
    }

    private abstract class Op
    {
        public abstract void Run(EmulatedDevice device);

        public virtual void Free() { }
    }

    private sealed class CopyOp(ulong destination, ulong source, long bytes) : Op
    {
        public override void Run(EmulatedDevice device) => device.RunCopy(destination, source, bytes);
    }

    private sealed class FillOp(ulong destination, uint value, long count) : Op
    {
        public override void Run(EmulatedDevice device) => device.RunFill(destination, value, count);
    }

    private sealed class GemmOp(bool transA, bool transB, int m, int n, int k, float alpha, ulong a, int lda, ulong b, int ldb, float beta, ulong c, int ldc) : Op
    {
        public bool TransA => transA;
        public bool TransB => transB;
        public int M => m;
        public int N => n;
        public int K => k;
        public float Alpha => alpha;
        public ulong A => a;
        public int Lda => lda;
        public ulong B => b;
        public int Ldb => ldb;
        public float Beta => beta;
        public ulong C => c;
        public int Ldc => ldc;

        public override void Run(EmulatedDevice device)
        {
            device.ValidateGemm(this);
            RunGemm(this);
        }
    }

    /// <summary>A recorded launch: its arguments copied into native memory, with the pointer array to them.</summary>
    private sealed class LaunchOp : Op
    {
        private readonly int _id;
        private readonly string _kernel;
        private readonly Dim3 _grid, _block;
        private readonly int _sharedBytes;
        private void** _parameters;

        private LaunchOp(int id, string kernel, Dim3 grid, Dim3 block, int sharedBytes, void** parameters)
        {
            _id = id; _kernel = kernel; _grid = grid; _block = block; _sharedBytes = sharedBytes; _parameters = parameters;
        }

        /// <summary>Copies each argument value (sizes from the kernel's signature) out of the caller's memory.</summary>
        public static LaunchOp Record(int id, string kernel, Dim3 grid, Dim3 block, int sharedBytes, void** parameters)
        {
            int[] sizes = EmulatedLibrary.ParameterSizes(id);
            int total = sizes.Sum(s => (s + 7) & ~7);
            var copy = (void**)NativeMemory.AllocZeroed((nuint)(sizes.Length * sizeof(void*) + total));
            byte* values = (byte*)(copy + sizes.Length);
            for (int i = 0; i < sizes.Length; i++)
            {
                Buffer.MemoryCopy(parameters[i], values, sizes[i], sizes[i]);
                copy[i] = values;
                values += (sizes[i] + 7) & ~7;
            }
            return new LaunchOp(id, kernel, grid, block, sharedBytes, copy);
        }

        public override void Run(EmulatedDevice device) => device.RunLaunch(_id, _kernel, _grid, _block, _sharedBytes, _parameters);

        public override void Free()
        {
            NativeMemory.Free(_parameters);
            _parameters = null;
        }
    }
}
