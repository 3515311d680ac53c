using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// Gaussian error linear unit, Keras default (approximate = false): f(x) = ½x(1 + erf(x/√2)) = x·Φ(x);
/// f'(x) = Φ(x) + x·φ(x) with φ(x) = e^(−x²/2)/√(2π).
/// </summary>
/// <remarks>
/// .NET has no vectorised erf, so Φ is computed by our own approximation (OpMath.NormalCdf): with z = x/√2,
/// |z| ≤ 1 uses erf(z) = z + z·Q(z²) (degree-6 minimax), |z| &gt; 1 uses erfc(|z|) = e^(−z²)·t·G(t), t = 1/(1 + |z|/2)
/// (degree-8 fit). Measured in float32: erf max relative error 8.4e-8 (&lt; 2e-7), erfc relative error 3.4e-7
/// for |z| &gt; 1, so the left tail of GELU keeps its relative accuracy. ±∞ give ∞ and 0, never NaN.
/// </remarks>
public readonly struct Gelu : IUnaryOp
{
    private const float InvSqrt2Pi = 0.3989422804014327f; // 1/√(2π)

    /// <inheritdoc/>
    public string Kernel => "gelu";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x)
    {
        float cdf = OpMath.NormalCdf(x, out _);
        return cdf == 0f ? 0f : x * cdf; // x = −∞ would give −∞·0 = NaN; the limit is 0
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> cdf = OpMath.NormalCdf(x, out _);
        return Vector256.ConditionalSelect(Vector256.Equals(cdf, Vector256<float>.Zero), Vector256<float>.Zero, x * cdf);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> cdf = OpMath.NormalCdf(x, out _);
        return Vector512.ConditionalSelect(Vector512.Equals(cdf, Vector512<float>.Zero), Vector512<float>.Zero, x * cdf);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y)
    {
        float cdf = OpMath.NormalCdf(x, out float e);
        return e == 0f ? cdf : MathF.FusedMultiplyAdd(x * e, InvSqrt2Pi, cdf);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y)
    {
        Vector256<float> cdf = OpMath.NormalCdf(x, out Vector256<float> e);
        return Vector256.ConditionalSelect(Vector256.Equals(e, Vector256<float>.Zero), cdf, Vector256.FusedMultiplyAdd(x * e, Vector256.Create(InvSqrt2Pi), cdf));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y)
    {
        Vector512<float> cdf = OpMath.NormalCdf(x, out Vector512<float> e);
        return Vector512.ConditionalSelect(Vector512.Equals(e, Vector512<float>.Zero), cdf, Vector512.FusedMultiplyAdd(x * e, Vector512.Create(InvSqrt2Pi), cdf));
    }

    /// <inheritdoc/>
    public double Reference(double x) => x < -2.0 ? 0.5 * x * OpMath.Erfc(-x * 0.70710678118654752) : 0.5 * x * (1.0 + OpMath.Erf(x * 0.70710678118654752));

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => (x < -2.0 ? 0.5 * OpMath.Erfc(-x * 0.70710678118654752) : 0.5 * (1.0 + OpMath.Erf(x * 0.70710678118654752))) + x * Math.Exp(-0.5 * x * x) * 0.3989422804014327;
}
