using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// Elementwise and reduction kernels of the CPU backend over raw float pointers (the caller pins).
/// Each kernel takes the <see cref="Vector512{T}"/> path when it is hardware accelerated, else
/// <see cref="Vector256{T}"/>, else scalar. The last partial vector (n mod 16 or 8 elements) is run
/// through the same vector formula on a zero-padded stack copy and only n elements are written back,
/// so an element's result never depends on its position (and in-place calls stay correct).
/// <see cref="ScalarKernels"/> is the scalar twin the tests compare against at every length 0..256.
/// </summary>
internal static unsafe class SimdKernels
{
    /// <summary>y[i] = f(x[i]) for i &lt; n; x == y is allowed.</summary>
    public static void Unary<TOp>(in TOp op, float* x, float* y, int n) where TOp : struct, IUnaryOp
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16) Vector512.Store(op.Invoke(Vector512.Load(x + i)), y + i);
            if (i < n) StorePartial(op.Invoke(LoadPartial512(x + i, n - i)), y + i, n - i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8) Vector256.Store(op.Invoke(Vector256.Load(x + i)), y + i);
            if (i < n) StorePartial(op.Invoke(LoadPartial256(x + i, n - i)), y + i, n - i);
        }
        else
        {
            for (; i < n; i++) y[i] = op.Invoke(x[i]);
        }
    }

    /// <summary>dx[i] = dy[i]·f'(x[i]) with y = f(x) given; dx may alias dy.</summary>
    public static void UnaryBackward<TOp>(in TOp op, float* x, float* y, float* dy, float* dx, int n) where TOp : struct, IUnaryOp
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
                Vector512.Store(Vector512.Load(dy + i) * op.Derivative(Vector512.Load(x + i), Vector512.Load(y + i)), dx + i);
            if (i < n)
            {
                int r = n - i;
                StorePartial(LoadPartial512(dy + i, r) * op.Derivative(LoadPartial512(x + i, r), LoadPartial512(y + i, r)), dx + i, r);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
                Vector256.Store(Vector256.Load(dy + i) * op.Derivative(Vector256.Load(x + i), Vector256.Load(y + i)), dx + i);
            if (i < n)
            {
                int r = n - i;
                StorePartial(LoadPartial256(dy + i, r) * op.Derivative(LoadPartial256(x + i, r), LoadPartial256(y + i, r)), dx + i, r);
            }
        }
        else
        {
            for (; i < n; i++) dx[i] = dy[i] * op.Derivative(x[i], y[i]);
        }
    }

    /// <summary>c[i] = a[i] ∘ b[i]; c may alias a or b.</summary>
    public static void Binary<TOp>(in TOp op, float* a, float* b, float* c, int n) where TOp : struct, IBinaryOp
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16) Vector512.Store(op.Invoke(Vector512.Load(a + i), Vector512.Load(b + i)), c + i);
            if (i < n) StorePartial(op.Invoke(LoadPartial512(a + i, n - i), LoadPartial512(b + i, n - i)), c + i, n - i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8) Vector256.Store(op.Invoke(Vector256.Load(a + i), Vector256.Load(b + i)), c + i);
            if (i < n) StorePartial(op.Invoke(LoadPartial256(a + i, n - i), LoadPartial256(b + i, n - i)), c + i, n - i);
        }
        else
        {
            for (; i < n; i++) c[i] = op.Invoke(a[i], b[i]);
        }
    }

    /// <summary>
    /// c[i] = f(c[i] + bias[i]) for i &lt; n, in place: the GEMM epilogue of a Dense layer, over one row of C.
    /// Every element goes through the vector formula of <see cref="Binary{TOp}"/> (Add) then of
    /// <see cref="Unary{TOp}"/>, so the result is bitwise that of the two separate passes.
    /// </summary>
    public static void BiasActivation<TOp>(in TOp op, float* c, float* bias, int n) where TOp : struct, IUnaryOp
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16) Vector512.Store(op.Invoke(Vector512.Load(c + i) + Vector512.Load(bias + i)), c + i);
            if (i < n) StorePartial(op.Invoke(LoadPartial512(c + i, n - i) + LoadPartial512(bias + i, n - i)), c + i, n - i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8) Vector256.Store(op.Invoke(Vector256.Load(c + i) + Vector256.Load(bias + i)), c + i);
            if (i < n) StorePartial(op.Invoke(LoadPartial256(c + i, n - i) + LoadPartial256(bias + i, n - i)), c + i, n - i);
        }
        else
        {
            for (; i < n; i++) c[i] = op.Invoke(c[i] + bias[i]);
        }
    }

    /// <summary>c[i] = a[i] ∘ b for a scalar b; c may alias a.</summary>
    public static void BinaryScalar<TOp>(in TOp op, float* a, float b, float* c, int n) where TOp : struct, IBinaryOp
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vb = Vector512.Create(b);
            for (; i <= n - 16; i += 16) Vector512.Store(op.Invoke(Vector512.Load(a + i), vb), c + i);
            if (i < n) StorePartial(op.Invoke(LoadPartial512(a + i, n - i), vb), c + i, n - i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vb = Vector256.Create(b);
            for (; i <= n - 8; i += 8) Vector256.Store(op.Invoke(Vector256.Load(a + i), vb), c + i);
            if (i < n) StorePartial(op.Invoke(LoadPartial256(a + i, n - i), vb), c + i, n - i);
        }
        else
        {
            for (; i < n; i++) c[i] = op.Invoke(a[i], b);
        }
    }

    /// <summary>c[i,j] = a[i,j] ∘ row[j] for a (rows, cols) row-major matrix (bias add); c may alias a.</summary>
    public static void BinaryRowBroadcast<TOp>(in TOp op, float* a, float* row, float* c, int rows, int cols) where TOp : struct, IBinaryOp
    {
        for (int i = 0; i < rows; i++)
        {
            float* ai = a + (long)i * cols, ci = c + (long)i * cols;
            Binary(op, ai, row, ci, cols);
        }
    }

    /// <summary>
    /// y[j] = Σ_i x[i,j] (or y[j] += that sum when <paramref name="accumulate"/>) for x (rows, cols): the bias
    /// gradient. Each column is summed in row order 0..rows−1 starting from 0, then added to y, exactly as
    /// <see cref="ScalarKernels.SumRows"/> does, so the two are bitwise equal.
    /// </summary>
    public static void SumRows(float* x, float* y, int rows, int cols, bool accumulate)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // 4 vectors (64 columns) per pass keep 4 independent add chains in flight over the rows.
            for (; j <= cols - 64; j += 64)
            {
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                float* p = x + j;
                for (int i = 0; i < rows; i++, p += cols)
                {
                    s0 += Vector512.Load(p); s1 += Vector512.Load(p + 16);
                    s2 += Vector512.Load(p + 32); s3 += Vector512.Load(p + 48);
                }
                if (accumulate)
                {
                    s0 = Vector512.Load(y + j) + s0; s1 = Vector512.Load(y + j + 16) + s1;
                    s2 = Vector512.Load(y + j + 32) + s2; s3 = Vector512.Load(y + j + 48) + s3;
                }
                Vector512.Store(s0, y + j); Vector512.Store(s1, y + j + 16);
                Vector512.Store(s2, y + j + 32); Vector512.Store(s3, y + j + 48);
            }
            for (; j <= cols - 16; j += 16)
            {
                Vector512<float> s = default;
                float* p = x + j;
                for (int i = 0; i < rows; i++, p += cols) s += Vector512.Load(p);
                if (accumulate) s = Vector512.Load(y + j) + s;
                Vector512.Store(s, y + j);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= cols - 32; j += 32)
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                float* p = x + j;
                for (int i = 0; i < rows; i++, p += cols)
                {
                    s0 += Vector256.Load(p); s1 += Vector256.Load(p + 8);
                    s2 += Vector256.Load(p + 16); s3 += Vector256.Load(p + 24);
                }
                if (accumulate)
                {
                    s0 = Vector256.Load(y + j) + s0; s1 = Vector256.Load(y + j + 8) + s1;
                    s2 = Vector256.Load(y + j + 16) + s2; s3 = Vector256.Load(y + j + 24) + s3;
                }
                Vector256.Store(s0, y + j); Vector256.Store(s1, y + j + 8);
                Vector256.Store(s2, y + j + 16); Vector256.Store(s3, y + j + 24);
            }
            for (; j <= cols - 8; j += 8)
            {
                Vector256<float> s = default;
                float* p = x + j;
                for (int i = 0; i < rows; i++, p += cols) s += Vector256.Load(p);
                if (accumulate) s = Vector256.Load(y + j) + s;
                Vector256.Store(s, y + j);
            }
        }
        // Remaining columns (fewer than one vector): the same order, one column at a time.
        for (; j < cols; j++)
        {
            float s = 0f;
            float* p = x + j;
            for (int i = 0; i < rows; i++, p += cols) s += *p;
            y[j] = accumulate ? y[j] + s : s;
        }
    }

    /// <summary>
    /// Σ x[i] in a fixed order that depends only on n (and the vector width): blocks of up to 4096 elements
    /// are summed with 64 (or 32) lanes, and blocks are combined pairwise, so the rounding error grows like
    /// log(n) rather than n. Not bitwise equal to a sequential loop.
    /// </summary>
    public static float Sum(float* x, int n)
    {
        if (n <= SumBlock) return SumBlockKernel(x, n);
        // Split at a block boundary near the middle: h = roundup(n/2, 4096) < n for every n > 4096.
        int h = ((n >> 1) + SumBlock - 1) & ~(SumBlock - 1);
        return Sum(x, h) + Sum(x + h, n - h);
    }

    private const int SumBlock = 4096;

    private static float SumBlockKernel(float* x, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i <= n - 64; i += 64)
            {
                s0 += Vector512.Load(x + i); s1 += Vector512.Load(x + i + 16);
                s2 += Vector512.Load(x + i + 32); s3 += Vector512.Load(x + i + 48);
            }
            for (; i <= n - 16; i += 16) s0 += Vector512.Load(x + i);
            if (i < n) s1 += LoadPartial512(x + i, n - i);
            return Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i <= n - 32; i += 32)
            {
                s0 += Vector256.Load(x + i); s1 += Vector256.Load(x + i + 8);
                s2 += Vector256.Load(x + i + 16); s3 += Vector256.Load(x + i + 24);
            }
            for (; i <= n - 8; i += 8) s0 += Vector256.Load(x + i);
            if (i < n) s1 += LoadPartial256(x + i, n - i);
            return Vector256.Sum((s0 + s1) + (s2 + s3));
        }
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (; i <= n - 4; i += 4) { a0 += x[i]; a1 += x[i + 1]; a2 += x[i + 2]; a3 += x[i + 3]; }
        for (; i < n; i++) a0 += x[i];
        return (a0 + a1) + (a2 + a3);
    }

    /// <summary>y[i] += alpha·x[i] (one fused multiply-add per element, like the scalar twin).</summary>
    public static void Axpy(float alpha, float* x, float* y, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> va = Vector512.Create(alpha);
            for (; i <= n - 16; i += 16) Vector512.Store(Vector512.FusedMultiplyAdd(va, Vector512.Load(x + i), Vector512.Load(y + i)), y + i);
            if (i < n) StorePartial(Vector512.FusedMultiplyAdd(va, LoadPartial512(x + i, n - i), LoadPartial512(y + i, n - i)), y + i, n - i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> va = Vector256.Create(alpha);
            for (; i <= n - 8; i += 8) Vector256.Store(Vector256.FusedMultiplyAdd(va, Vector256.Load(x + i), Vector256.Load(y + i)), y + i);
            if (i < n) StorePartial(Vector256.FusedMultiplyAdd(va, LoadPartial256(x + i, n - i), LoadPartial256(y + i, n - i)), y + i, n - i);
        }
        else
        {
            for (; i < n; i++) y[i] = MathF.FusedMultiplyAdd(alpha, x[i], y[i]);
        }
    }

    /// <summary>y[i] = alpha·x[i]; x == y is allowed.</summary>
    public static void Scale(float alpha, float* x, float* y, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> va = Vector512.Create(alpha);
            for (; i <= n - 16; i += 16) Vector512.Store(va * Vector512.Load(x + i), y + i);
            if (i < n) StorePartial(va * LoadPartial512(x + i, n - i), y + i, n - i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> va = Vector256.Create(alpha);
            for (; i <= n - 8; i += 8) Vector256.Store(va * Vector256.Load(x + i), y + i);
            if (i < n) StorePartial(va * LoadPartial256(x + i, n - i), y + i, n - i);
        }
        else
        {
            for (; i < n; i++) y[i] = alpha * x[i];
        }
    }

    // ---- partial vectors: count < lane count elements through a zero-padded local -------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> LoadPartial512(float* p, int count)
    {
        Vector512<float> v = default;
        float* d = (float*)&v;
        for (int k = 0; k < count; k++) d[k] = p[k];
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> LoadPartial256(float* p, int count)
    {
        Vector256<float> v = default;
        float* d = (float*)&v;
        for (int k = 0; k < count; k++) d[k] = p[k];
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StorePartial(Vector512<float> v, float* p, int count)
    {
        float* s = (float*)&v;
        for (int k = 0; k < count; k++) p[k] = s[k];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StorePartial(Vector256<float> v, float* p, int count)
    {
        float* s = (float*)&v;
        for (int k = 0; k < count; k++) p[k] = s[k];
    }
}
