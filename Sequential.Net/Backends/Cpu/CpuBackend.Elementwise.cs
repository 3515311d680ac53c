using System.Runtime.CompilerServices;

namespace SequentialNet.Backends.Cpu;

// Elementwise primitives: SimdKernels over [start, start + count), split over the workers by
// ElementwiseParallel when the pass is long enough. Each pass has an argument struct on the caller's
// stack and a static range body, so a call allocates nothing.
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void Unary<TOp>(in TOp op, DeviceBuffer x, DeviceBuffer y) where TOp : struct, IUnaryOp
    {
        RequireAtLeast(nameof(Unary), nameof(x), x, y.Length);
        var args = new UnaryArgs<TOp> { Op = op, X = F(x), Y = F(y) };
        ElementwiseParallel.For(y.Length, Unsafe.AsPointer(ref args), &UnaryRange<TOp>);
    }

    /// <inheritdoc/>
    public void UnaryBackward<TOp>(in TOp op, DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) where TOp : struct, IUnaryOp
    {
        RequireEach(nameof(UnaryBackward), dx.Length, (nameof(x), x), (nameof(y), y), (nameof(dy), dy));
        var args = new UnaryArgs<TOp> { Op = op, X = F(x), Y = F(y), Dy = F(dy), Dx = F(dx) };
        ElementwiseParallel.For(dx.Length, Unsafe.AsPointer(ref args), &UnaryBackwardRange<TOp>);
    }

    /// <inheritdoc/>
    public void Binary<TOp>(in TOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) where TOp : struct, IBinaryOp
    {
        RequireEach(nameof(Binary), c.Length, (nameof(a), a), (nameof(b), b));
        var args = new BinaryArgs<TOp> { Op = op, A = F(a), B = F(b), C = F(c) };
        ElementwiseParallel.For(c.Length, Unsafe.AsPointer(ref args), &BinaryRange<TOp>);
    }

    /// <inheritdoc/>
    public void BinaryRowBroadcast<TOp>(in TOp op, DeviceBuffer a, DeviceBuffer row, DeviceBuffer c, int rows, int cols) where TOp : struct, IBinaryOp
    {
        long n = RequireMatrix(nameof(BinaryRowBroadcast), rows, cols);
        RequireEach(nameof(BinaryRowBroadcast), n, (nameof(a), a), (nameof(c), c));
        RequireAtLeast(nameof(BinaryRowBroadcast), nameof(row), row, cols);
        if (cols <= 0) return;
        var args = new BinaryArgs<TOp> { Op = op, A = F(a), B = F(row), C = F(c), Cols = cols };
        ElementwiseParallel.ForRows(rows, cols, Unsafe.AsPointer(ref args), &RowBroadcastRange<TOp>);
    }

    /// <inheritdoc/>
    public void Scale(DeviceBuffer x, float alpha, DeviceBuffer y)
    {
        RequireAtLeast(nameof(Scale), nameof(x), x, y.Length);
        var args = new UnaryArgs<Identity> { X = F(x), Y = F(y), Alpha = alpha };
        ElementwiseParallel.For(y.Length, Unsafe.AsPointer(ref args), &ScaleRange);
    }

    private struct UnaryArgs<TOp> where TOp : struct, IUnaryOp
    {
        public TOp Op;
        public float* X, Y, Dy, Dx;
        public float Alpha;
    }

    private struct BinaryArgs<TOp> where TOp : struct, IBinaryOp
    {
        public TOp Op;
        public float* A, B, C;
        public int Cols;
    }

    private static void UnaryRange<TOp>(void* state, int start, int count) where TOp : struct, IUnaryOp
    {
        ref var a = ref Unsafe.AsRef<UnaryArgs<TOp>>(state);
        SimdKernels.Unary(a.Op, a.X + start, a.Y + start, count);
    }

    private static void UnaryBackwardRange<TOp>(void* state, int start, int count) where TOp : struct, IUnaryOp
    {
        ref var a = ref Unsafe.AsRef<UnaryArgs<TOp>>(state);
        SimdKernels.UnaryBackward(a.Op, a.X + start, a.Y + start, a.Dy + start, a.Dx + start, count);
    }

    private static void ScaleRange(void* state, int start, int count)
    {
        ref var a = ref Unsafe.AsRef<UnaryArgs<Identity>>(state);
        SimdKernels.Scale(a.Alpha, a.X + start, a.Y + start, count);
    }

    private static void BinaryRange<TOp>(void* state, int start, int count) where TOp : struct, IBinaryOp
    {
        ref var a = ref Unsafe.AsRef<BinaryArgs<TOp>>(state);
        SimdKernels.Binary(a.Op, a.A + start, a.B + start, a.C + start, count);
    }

    // Rows [start, start + count) of the (rows, cols) matrix.
    private static void RowBroadcastRange<TOp>(void* state, int start, int count) where TOp : struct, IBinaryOp
    {
        ref var a = ref Unsafe.AsRef<BinaryArgs<TOp>>(state);
        long offset = (long)start * a.Cols;
        SimdKernels.BinaryRowBroadcast(a.Op, a.A + offset, a.B, a.C + offset, count, a.Cols);
    }
}
