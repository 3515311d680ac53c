using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// Logistic sigmoid: f(x) = 1 / (1 + e^−x); f'(x) = y·(1 − y) with y = f(x).
/// </summary>
/// <remarks>
/// Computed as 1/(1+e) or e/(1+e) with e = exp(−|x|) ≤ 1, so it never overflows: ±1e30 and ±∞ give
/// exactly 1 or 0, never NaN.
/// </remarks>
public readonly struct Sigmoid : IUnaryOp
{
    /// <inheritdoc/>
    public string Kernel => "sigmoid";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => OpMath.Sigmoid(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => OpMath.Sigmoid(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => OpMath.Sigmoid(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => y * (1f - y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => y * (Vector256<float>.One - y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => y * (Vector512<float>.One - y);

    /// <inheritdoc/>
    public double Reference(double x) => OpMath.Sigmoid(x);

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => OpMath.Sigmoid(x) * (1.0 - OpMath.Sigmoid(x));
}
