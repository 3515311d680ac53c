using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>Scaled ELU (Keras <c>selu</c>): f(x) = s·x for x &gt; 0, else s·a·(e^x − 1), with Keras's constants a ≈ 1.6733, s ≈ 1.0507; f'(x) = s, or y + s·a.</summary>
public readonly struct Selu : IUnaryOp
{
    private const double AlphaD = 1.6732632423543772848170429916717, ScaleD = 1.0507009873554804934193349852946;
    private const float Scale = (float)ScaleD, ScaleAlpha = (float)(ScaleD * AlphaD);

    /// <inheritdoc/>
    public string Kernel => "selu";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x > 0f ? Scale * x : ScaleAlpha * (OpMath.Exp(x) - 1f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256.Create(Scale) * x, Vector256.Create(ScaleAlpha) * (OpMath.Exp(x) - Vector256<float>.One));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512.Create(Scale) * x, Vector512.Create(ScaleAlpha) * (OpMath.Exp(x) - Vector512<float>.One));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => x > 0f ? Scale : y + ScaleAlpha;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256.Create(Scale), y + Vector256.Create(ScaleAlpha));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512.Create(Scale), y + Vector512.Create(ScaleAlpha));

    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? ScaleD * x : ScaleD * AlphaD * (Math.Exp(x) - 1);

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? ScaleD : ScaleD * AlphaD * Math.Exp(x);
}
