using System.Runtime.CompilerServices;
using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Elementwise launchers (kernels/unary.cu, binary.cu, reduce.cu's broadcast): grid-stride kernels,
// 256 threads per block. Kernel names are built once per operator type, never per call.
public sealed unsafe partial class CudaBackend
{
    /// <summary>"{Kernel}_fwd_f32" / "{Kernel}_bwd_f32" of a unary operator struct, built once per type.</summary>
    private static class UnaryKernel<TOp> where TOp : struct, IUnaryOp
    {
        public static readonly string Forward = default(TOp).Kernel + "_fwd_f32";
        public static readonly string Backward = default(TOp).Kernel + "_bwd_f32";
        public static readonly string BiasForward = default(TOp).Kernel + "_bias_fwd_f32";
    }

    /// <summary>"{Kernel}_fwd_f32" / "{Kernel}_rowbcast_f32" of a binary operator struct, built once per type.</summary>
    private static class BinaryKernel<TOp> where TOp : struct, IBinaryOp
    {
        public static readonly string Forward = default(TOp).Kernel + "_fwd_f32";
        public static readonly string RowBroadcast = default(TOp).Kernel + "_rowbcast_f32";
    }

    /// <summary>
    /// The float parameter every unary kernel takes: LeakyRelu's slope, Elu's alpha, the threshold of Thresholded and ReluBelow, else 0. The type tests
    /// are JIT-time constants per struct instantiation, so nothing is boxed or branched at run time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float UnaryParameter<TOp>(in TOp op) where TOp : struct, IUnaryOp
    {
        if (typeof(TOp) == typeof(LeakyRelu)) return Unsafe.As<TOp, LeakyRelu>(ref Unsafe.AsRef(in op)).NegativeSlope;
        if (typeof(TOp) == typeof(Elu)) return Unsafe.As<TOp, Elu>(ref Unsafe.AsRef(in op)).Alpha;
        if (typeof(TOp) == typeof(Thresholded)) return Unsafe.As<TOp, Thresholded>(ref Unsafe.AsRef(in op)).Threshold;
        if (typeof(TOp) == typeof(ReluBelow)) return Unsafe.As<TOp, ReluBelow>(ref Unsafe.AsRef(in op)).Threshold;
        return 0f;
    }

    /// <inheritdoc/>
    public void Unary<TOp>(in TOp op, DeviceBuffer x, DeviceBuffer y) where TOp : struct, IUnaryOp
    {
        CudaBuffer bx = B(x), by = B(y);
        int n = by.Length;
        if (bx.Length < n) throw TooShort(nameof(Unary), nameof(x), n, bx.Length);
        LaunchUnary(op, bx.Pointer, by.Pointer, n);
    }

    /// <summary>y[i] = f(x[i]) for i &lt; n (x == y allowed: each thread reads then writes its own element).</summary>
    private void LaunchUnary<TOp>(in TOp op, ulong px, ulong py, int n) where TOp : struct, IUnaryOp
    {
        if (n == 0) return;
        float p = UnaryParameter(op);
        void** args = stackalloc void*[4];
        args[0] = &px; args[1] = &py; args[2] = &n; args[3] = &p;
        _device.Launch(UnaryKernel<TOp>.Forward, new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void UnaryBackward<TOp>(in TOp op, DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) where TOp : struct, IUnaryOp
    {
        CudaBuffer bx = B(x), by = B(y), bdy = B(dy), bdx = B(dx);
        int n = bdx.Length;
        if (bx.Length < n) throw TooShort(nameof(UnaryBackward), nameof(x), n, bx.Length);
        if (by.Length < n) throw TooShort(nameof(UnaryBackward), nameof(y), n, by.Length);
        if (bdy.Length < n) throw TooShort(nameof(UnaryBackward), nameof(dy), n, bdy.Length);
        if (n == 0) return;
        ulong px = bx.Pointer, py = by.Pointer, pdy = bdy.Pointer, pdx = bdx.Pointer;
        float p = UnaryParameter(op);
        void** args = stackalloc void*[6];
        args[0] = &px; args[1] = &py; args[2] = &pdy; args[3] = &pdx; args[4] = &n; args[5] = &p;
        _device.Launch(UnaryKernel<TOp>.Backward, new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void Binary<TOp>(in TOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) where TOp : struct, IBinaryOp
    {
        CudaBuffer ba = B(a), bb = B(b), bc = B(c);
        int n = bc.Length;
        if (ba.Length < n) throw TooShort(nameof(Binary), nameof(a), n, ba.Length);
        if (bb.Length < n) throw TooShort(nameof(Binary), nameof(b), n, bb.Length);
        if (n == 0) return;
        ulong pa = ba.Pointer, pb = bb.Pointer, pc = bc.Pointer;
        void** args = stackalloc void*[4];
        args[0] = &pa; args[1] = &pb; args[2] = &pc; args[3] = &n;
        _device.Launch(BinaryKernel<TOp>.Forward, new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void BinaryRowBroadcast<TOp>(in TOp op, DeviceBuffer a, DeviceBuffer row, DeviceBuffer c, int rows, int cols) where TOp : struct, IBinaryOp
    {
        CudaBuffer ba = B(a), brow = B(row), bc = B(c);
        long n = RequireMatrix(nameof(BinaryRowBroadcast), rows, cols);
        if (ba.Length < n) throw TooShort(nameof(BinaryRowBroadcast), nameof(a), n, ba.Length);
        if (bc.Length < n) throw TooShort(nameof(BinaryRowBroadcast), nameof(c), n, bc.Length);
        if (brow.Length < cols) throw TooShort(nameof(BinaryRowBroadcast), nameof(row), cols, brow.Length);
        LaunchRowBroadcast(op, ba.Pointer, brow.Pointer, bc.Pointer, rows, cols);
    }

    /// <summary>c(rows, cols) = a ∘ row broadcast (c == a allowed).</summary>
    private void LaunchRowBroadcast<TOp>(in TOp op, ulong pa, ulong prow, ulong pc, int rows, int cols) where TOp : struct, IBinaryOp
    {
        long n = (long)rows * cols;
        if (n == 0) return;
        void** args = stackalloc void*[5];
        args[0] = &pa; args[1] = &prow; args[2] = &pc; args[3] = &rows; args[4] = &cols;
        _device.Launch(BinaryKernel<TOp>.RowBroadcast, new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void Scale(DeviceBuffer x, float alpha, DeviceBuffer y)
    {
        CudaBuffer bx = B(x), by = B(y);
        int n = by.Length;
        if (bx.Length < n) throw TooShort(nameof(Scale), nameof(x), n, bx.Length);
        if (n == 0) return;
        ulong px = bx.Pointer, py = by.Pointer;
        void** args = stackalloc void*[4];
        args[0] = &px; args[1] = &py; args[2] = &n; args[3] = &alpha;
        _device.Launch("scale_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void BroadcastScalar(DeviceBuffer s, DeviceBuffer y, float scale)
    {
        CudaBuffer bs = B(s), by = B(y);
        int n = by.Length;
        if (bs.Length < 1) throw TooShort(nameof(BroadcastScalar), nameof(s), 1, bs.Length);
        if (n == 0) return;
        ulong ps = bs.Pointer, py = by.Pointer;
        void** args = stackalloc void*[4];
        args[0] = &ps; args[1] = &py; args[2] = &n; args[3] = &scale;
        _device.Launch("broadcast_scalar_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <summary>rows·cols after checking that both are non-negative and the product fits the 32-bit kernel indices.</summary>
    private static long RequireMatrix(string who, int rows, int cols)
    {
        long n = (long)rows * cols;
        if (rows < 0 || cols < 0 || n > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(rows), $"{who}: invalid shape ({rows}, {cols}).");
        return n;
    }
}
