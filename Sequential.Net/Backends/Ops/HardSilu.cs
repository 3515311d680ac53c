using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>x·relu6(x + 3) / 6 (Keras <c>hard_silu</c>, alias hard_swish); f'(x) = 0 below −3, 1 above 3, (2x + 3)/6 between.</summary>
public readonly struct HardSilu : IUnaryOp
{
    /// <inheritdoc/>
    public string Kernel => "hard_silu";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x * (MathF.Min(MathF.Max(x + 3f, 0f), 6f) / 6f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => x * (Vector256.Min(Vector256.Max(x + Vector256.Create(3f), Vector256<float>.Zero), Vector256.Create(6f)) / Vector256.Create(6f));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => x * (Vector512.Min(Vector512.Max(x + Vector512.Create(3f), Vector512<float>.Zero), Vector512.Create(6f)) / Vector512.Create(6f));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => x <= -3f ? 0f : x >= 3f ? 1f : (2f * x + 3f) / 6f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256.Create(-3f)), Vector256<float>.Zero, Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256.Create(3f)), Vector256<float>.One, (Vector256.Create(2f) * x + Vector256.Create(3f)) / Vector256.Create(6f)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512.Create(-3f)), Vector512<float>.Zero, Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512.Create(3f)), Vector512<float>.One, (Vector512.Create(2f) * x + Vector512.Create(3f)) / Vector512.Create(6f)));

    /// <inheritdoc/>
    public double Reference(double x) => x * Math.Clamp(x + 3, 0, 6) / 6;

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6;
}
