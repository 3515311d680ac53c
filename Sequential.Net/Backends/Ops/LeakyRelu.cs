using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// Leaky ReLU: f(x) = x if x &gt; 0 else NegativeSlope·x; f'(x) = 1 if x &gt; 0 else NegativeSlope.
/// </summary>
public readonly struct LeakyRelu : IUnaryOp
{
    /// <summary>Slope for x &lt;= 0. The parameterless constructor uses 0.01 (this library's LeakyReLU default, see docs/keras-semantics.md, Layers);
    /// note that <c>default(LeakyRelu)</c> has slope 0.</summary>
    public float NegativeSlope { get; }

    /// <summary>LeakyReLU with slope 0.01.</summary>
    public LeakyRelu() : this(0.01f) { }

    /// <summary>LeakyReLU with the given slope for x &lt;= 0.</summary>
    public LeakyRelu(float negativeSlope) => NegativeSlope = negativeSlope;

    /// <inheritdoc/>
    public string Kernel => "leaky_relu";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x > 0f ? x : NegativeSlope * x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * Vector256.Create(NegativeSlope));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * Vector512.Create(NegativeSlope));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => x > 0f ? 1f : NegativeSlope;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256.Create(NegativeSlope));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, Vector512.Create(NegativeSlope));

    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? x : NegativeSlope * x;

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1.0 : NegativeSlope;
}
