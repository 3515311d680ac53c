using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// Exponential linear unit: f(x) = x if x &gt; 0 else Alpha·(e^x − 1); f'(x) = 1 if x &gt; 0 else y + Alpha (= Alpha·e^x).
/// </summary>
/// <remarks>
/// e^x − 1 is computed directly (no expm1): for x near 0⁻ the absolute error is ~1 ulp of 1 (6e-8),
/// well inside the fp32 tolerance.
/// </remarks>
public readonly struct Elu : IUnaryOp
{
    /// <summary>Scale of the negative part. The parameterless constructor uses Keras's default 1.0;
    /// note that <c>default(Elu)</c> has alpha 0.</summary>
    public float Alpha { get; }

    /// <summary>ELU with alpha = 1 (Keras default).</summary>
    public Elu() : this(1f) { }

    /// <summary>ELU with the given alpha.</summary>
    public Elu(float alpha) => Alpha = alpha;

    /// <inheritdoc/>
    public string Kernel => "elu";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x > 0f ? x : Alpha * (OpMath.Exp(x) - 1f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256.Create(Alpha) * (OpMath.Exp(x) - Vector256<float>.One));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512.Create(Alpha) * (OpMath.Exp(x) - Vector512<float>.One));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => x > 0f ? 1f : y + Alpha;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, y + Vector256.Create(Alpha));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, y + Vector512.Create(Alpha));

    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? x : Alpha * (Math.Exp(x) - 1.0);

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1.0 : Alpha * Math.Exp(x);
}
