namespace SequentialNet.Backends.Cpu;

/// <summary>
/// Plain scalar twins of <see cref="SimdKernels"/> (same signatures, one element at a time through the
/// ops' scalar formulas). They are the reference the SIMD kernels are tested against, and what a machine
/// without SIMD would run.
/// </summary>
internal static unsafe class ScalarKernels
{
    /// <summary>y[i] = f(x[i]).</summary>
    public static void Unary<TOp>(in TOp op, float* x, float* y, int n) where TOp : struct, IUnaryOp
    {
        for (int i = 0; i < n; i++) y[i] = op.Invoke(x[i]);
    }

    /// <summary>dx[i] = dy[i]·f'(x[i]).</summary>
    public static void UnaryBackward<TOp>(in TOp op, float* x, float* y, float* dy, float* dx, int n) where TOp : struct, IUnaryOp
    {
        for (int i = 0; i < n; i++) dx[i] = dy[i] * op.Derivative(x[i], y[i]);
    }

    /// <summary>c[i] = f(c[i] + bias[i]).</summary>
    public static void BiasActivation<TOp>(in TOp op, float* c, float* bias, int n) where TOp : struct, IUnaryOp
    {
        for (int i = 0; i < n; i++) c[i] = op.Invoke(c[i] + bias[i]);
    }

    /// <summary>c[i] = a[i] ∘ b[i].</summary>
    public static void Binary<TOp>(in TOp op, float* a, float* b, float* c, int n) where TOp : struct, IBinaryOp
    {
        for (int i = 0; i < n; i++) c[i] = op.Invoke(a[i], b[i]);
    }

    /// <summary>c[i] = a[i] ∘ b.</summary>
    public static void BinaryScalar<TOp>(in TOp op, float* a, float b, float* c, int n) where TOp : struct, IBinaryOp
    {
        for (int i = 0; i < n; i++) c[i] = op.Invoke(a[i], b);
    }

    /// <summary>c[i,j] = a[i,j] ∘ row[j].</summary>
    public static void BinaryRowBroadcast<TOp>(in TOp op, float* a, float* row, float* c, int rows, int cols) where TOp : struct, IBinaryOp
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                c[(long)i * cols + j] = op.Invoke(a[(long)i * cols + j], row[j]);
    }

    /// <summary>y[j] (+)= Σ_i x[i,j], summed in row order from 0.</summary>
    public static void SumRows(float* x, float* y, int rows, int cols, bool accumulate)
    {
        for (int j = 0; j < cols; j++)
        {
            float s = 0f;
            for (int i = 0; i < rows; i++) s += x[(long)i * cols + j];
            y[j] = accumulate ? y[j] + s : s;
        }
    }

    /// <summary>Σ x[i], sequentially.</summary>
    public static float Sum(float* x, int n)
    {
        float s = 0f;
        for (int i = 0; i < n; i++) s += x[i];
        return s;
    }

    /// <summary>y[i] += alpha·x[i] (fused multiply-add).</summary>
    public static void Axpy(float alpha, float* x, float* y, int n)
    {
        for (int i = 0; i < n; i++) y[i] = MathF.FusedMultiplyAdd(alpha, x[i], y[i]);
    }

    /// <summary>y[i] = alpha·x[i].</summary>
    public static void Scale(float alpha, float* x, float* y, int n)
    {
        for (int i = 0; i < n; i++) y[i] = alpha * x[i];
    }
}
