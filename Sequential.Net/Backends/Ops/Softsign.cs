using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>x / (1 + |x|) (Keras <c>softsign</c>); f'(x) = 1 / (1 + |x|)².</summary>
public readonly struct Softsign : IUnaryOp
{
    /// <inheritdoc/>
    public string Kernel => "softsign";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x / (1f + MathF.Abs(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Abs(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Abs(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => 1f / ((1f + MathF.Abs(x)) * (1f + MathF.Abs(x)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256<float>.One / ((Vector256<float>.One + Vector256.Abs(x)) * (Vector256<float>.One + Vector256.Abs(x)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512<float>.One / ((Vector512<float>.One + Vector512.Abs(x)) * (Vector512<float>.One + Vector512.Abs(x)));

    /// <inheritdoc/>
    public double Reference(double x) => x / (1 + Math.Abs(x));

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1 / ((1 + Math.Abs(x)) * (1 + Math.Abs(x)));
}
