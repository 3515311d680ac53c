using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>log(1 + e^x) (Keras <c>softplus</c>), computed as max(x, 0) + log(1 + e^−|x|) so it never overflows; f'(x) = σ(x).</summary>
public readonly struct Softplus : IUnaryOp
{
    /// <inheritdoc/>
    public string Kernel => "softplus";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => MathF.Max(x, 0f) + MathF.Log(1f + OpMath.Exp(-MathF.Abs(x)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero) + Vector256.Log(Vector256<float>.One + OpMath.Exp(-Vector256.Abs(x)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero) + Vector512.Log(Vector512<float>.One + OpMath.Exp(-Vector512.Abs(x)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => OpMath.Sigmoid(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => OpMath.Sigmoid(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => OpMath.Sigmoid(x);

    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => OpMath.Sigmoid(x);
}
