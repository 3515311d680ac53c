using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// Hyperbolic tangent: f(x) = (e^x − e^−x)/(e^x + e^−x); f'(x) = 1 − y² with y = f(x).
/// </summary>
/// <remarks>
/// |x| &lt; 0.625 uses the Cephes odd polynomial x + x³·P(x²) (no cancellation near 0); otherwise
/// 1 − 2/(exp(2|x|) + 1) with the sign of x, which saturates to exactly ±1 (never NaN) for |x| up to ∞.
/// </remarks>
public readonly struct Tanh : IUnaryOp
{
    /// <inheritdoc/>
    public string Kernel => "tanh";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => OpMath.Tanh(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => OpMath.Tanh(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => OpMath.Tanh(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => MathF.FusedMultiplyAdd(-y, y, 1f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.FusedMultiplyAdd(-y, y, Vector256<float>.One);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.FusedMultiplyAdd(-y, y, Vector512<float>.One);

    /// <inheritdoc/>
    public double Reference(double x) => Math.Tanh(x);

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1.0 - Math.Tanh(x) * Math.Tanh(x);
}
