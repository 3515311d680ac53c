using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// Swish / SiLU: f(x) = x·σ(x); f'(x) = σ(x) + x·σ(x)·(1 − σ(x)).
/// </summary>
public readonly struct Swish : IUnaryOp
{
    /// <inheritdoc/>
    public string Kernel => "swish";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x)
    {
        float s = OpMath.Sigmoid(x);
        return s == 0f ? 0f : x * s; // x = −∞ would give −∞·0 = NaN; the limit is 0
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> s = OpMath.Sigmoid(x);
        return Vector256.ConditionalSelect(Vector256.Equals(s, Vector256<float>.Zero), Vector256<float>.Zero, x * s);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> s = OpMath.Sigmoid(x);
        return Vector512.ConditionalSelect(Vector512.Equals(s, Vector512<float>.Zero), Vector512<float>.Zero, x * s);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y)
    {
        // y is not reused: recovering σ(x) = y/x fails at x = 0. σ(−x) is computed stably rather than as 1 − σ(x).
        float s = OpMath.Sigmoid(x);
        float sp = s * OpMath.Sigmoid(-x);
        return sp == 0f ? s : MathF.FusedMultiplyAdd(x, sp, s); // at ±∞ the x·σ·(1−σ) term is ∞·0; its limit is 0
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y)
    {
        Vector256<float> s = OpMath.Sigmoid(x);
        Vector256<float> sp = s * OpMath.Sigmoid(-x);
        return Vector256.ConditionalSelect(Vector256.Equals(sp, Vector256<float>.Zero), s, Vector256.FusedMultiplyAdd(x, sp, s));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y)
    {
        Vector512<float> s = OpMath.Sigmoid(x);
        Vector512<float> sp = s * OpMath.Sigmoid(-x);
        return Vector512.ConditionalSelect(Vector512.Equals(sp, Vector512<float>.Zero), s, Vector512.FusedMultiplyAdd(x, sp, s));
    }

    /// <inheritdoc/>
    public double Reference(double x) => x * OpMath.Sigmoid(x);

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => OpMath.Sigmoid(x) * (1.0 + x * OpMath.Sigmoid(-x));
}
