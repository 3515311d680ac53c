namespace SequentialNet.Backends.Cpu;

/// <summary>
/// What <see cref="Sgemm"/> does to each finished element of C, while its block is still in cache:
/// c(i, j) ← f(c(i, j) + bias(j)), with f an <see cref="IUnaryOp"/>. <see cref="None"/> leaves C as the product.
/// <para>
/// The activation is reached through a function pointer to a JIT-specialized row kernel
/// (<see cref="SimdKernels.BiasActivation{TOp}"/>) and the op struct by pointer, so the GEMM itself stays
/// non-generic. <see cref="Op"/> must point at memory that does not move (the caller's stack) for the call.
/// </para>
/// </summary>
internal readonly unsafe struct GemmEpilogue
{
    /// <summary>bias(n), indexed by C's column; never null when <see cref="Row"/> is set.</summary>
    public readonly float* Bias;

    /// <summary>The operator struct instance, passed back to <see cref="Row"/>.</summary>
    public readonly void* Op;

    /// <summary>Row(op, c, bias, count): c[j] = f(c[j] + bias[j]) for j &lt; count.</summary>
    public readonly delegate*<void*, float*, float*, int, void> Row;

    public GemmEpilogue(float* bias, void* op, delegate*<void*, float*, float*, int, void> row)
    {
        Bias = bias;
        Op = op;
        Row = row;
    }

    /// <summary>No epilogue.</summary>
    public static GemmEpilogue None => default;

    /// <summary>True when there is nothing to apply.</summary>
    public bool IsNone => Row == null;

    /// <summary>The same epilogue for the sub-matrix of C that starts at column <paramref name="column"/>.</summary>
    public GemmEpilogue FromColumn(int column) => IsNone ? this : new GemmEpilogue(Bias + column, Op, Row);

    /// <summary>
    /// Applies the epilogue to the (rows × cols) block of a row-major C at <paramref name="c"/> (row stride ldc);
    /// <paramref name="bias"/> is the bias entry of the block's first column.
    /// </summary>
    public void Apply(float* c, nint ldc, int rows, int cols, float* bias)
    {
        for (int r = 0; r < rows; r++) Row(Op, c + r * ldc, bias, cols);
    }

    /// <summary>The row kernel of <typeparamref name="TOp"/>, for <see cref="Row"/>.</summary>
    public static delegate*<void*, float*, float*, int, void> RowKernel<TOp>() where TOp : struct, IUnaryOp => &RowOf<TOp>;

    // Fully optimized from its first call: reached only through a function pointer, the tiered (tier-0) version
    // was measured 15x slower than a direct call of the same kernel (32 ns against 2 ns per 32-float row), and it
    // stayed that way for the whole run.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void RowOf<TOp>(void* op, float* c, float* bias, int count) where TOp : struct, IUnaryOp
        => SimdKernels.BiasActivation(System.Runtime.CompilerServices.Unsafe.AsRef<TOp>(op), c, bias, count);
}
