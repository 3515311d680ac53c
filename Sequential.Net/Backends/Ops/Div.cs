using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// Elementwise quotient: c = a / b (IEEE: x/0 = ±inf, 0/0 = NaN).
/// </summary>
public readonly struct Div : IBinaryOp
{
    /// <inheritdoc/>
    public string Kernel => "div";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a / b;

    /// <inheritdoc/>
    public double Reference(double a, double b) => a / b;
}
