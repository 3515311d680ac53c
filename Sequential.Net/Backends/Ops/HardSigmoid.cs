using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>relu6(x + 3) / 6 (Keras 3 <c>hard_sigmoid</c>); f'(x) = 1/6 on (−3, 3), else 0.</summary>
public readonly struct HardSigmoid : IUnaryOp
{
    /// <inheritdoc/>
    public string Kernel => "hard_sigmoid";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => MathF.Min(MathF.Max(x + 3f, 0f), 6f) / 6f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x + Vector256.Create(3f), Vector256<float>.Zero), Vector256.Create(6f)) / Vector256.Create(6f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Max(x + Vector512.Create(3f), Vector512<float>.Zero), Vector512.Create(6f)) / Vector512.Create(6f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => x > -3f && x < 3f ? 1f / 6f : 0f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(-3f)) & Vector256.LessThan(x, Vector256.Create(3f)), Vector256.Create(1f / 6f), Vector256<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(-3f)) & Vector512.LessThan(x, Vector512.Create(3f)), Vector512.Create(1f / 6f), Vector512<float>.Zero);

    /// <inheritdoc/>
    public double Reference(double x) => Math.Clamp(x + 3, 0, 6) / 6;

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > -3 && x < 3 ? 1.0 / 6 : 0;
}
