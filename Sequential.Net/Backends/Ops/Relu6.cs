using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>min(max(x, 0), 6) (Keras <c>relu6</c>); f'(x) = 1 on (0, 6), else 0.</summary>
public readonly struct Relu6 : IUnaryOp
{
    /// <inheritdoc/>
    public string Kernel => "relu6";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x > 0f ? MathF.Min(x, 6f) : (float.IsNaN(x) ? x : 0f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256<float>.Zero), Vector256.Create(6f));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Max(x, Vector512<float>.Zero), Vector512.Create(6f));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => x > 0f && x < 6f ? 1f : 0f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero) & Vector256.LessThan(x, Vector256.Create(6f)), Vector256<float>.One, Vector256<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero) & Vector512.LessThan(x, Vector512.Create(6f)), Vector512<float>.One, Vector512<float>.Zero);

    /// <inheritdoc/>
    public double Reference(double x) => Math.Clamp(x, 0, 6);

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 && x < 6 ? 1 : 0;
}
