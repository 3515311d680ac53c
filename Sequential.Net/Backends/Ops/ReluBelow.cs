using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// max(Threshold − x, 0) (Keras's <c>relu(-x + threshold)</c>, the negative part of <c>activations.relu</c> with a
/// threshold); f'(x) = −1 below the threshold, else 0.
/// </summary>
public readonly struct ReluBelow(float threshold) : IUnaryOp
{
    /// <summary>The point below which the output grows.</summary>
    public float Threshold { get; } = threshold;

    /// <inheritdoc/>
    public string Kernel => "relu_below";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x < Threshold ? Threshold - x : (float.IsNaN(x) ? x : 0f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(Vector256.Create(Threshold) - x, Vector256<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(Vector512.Create(Threshold) - x, Vector512<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => x < Threshold ? -1f : 0f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Threshold)), Vector256.Create(-1f), Vector256<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Threshold)), Vector512.Create(-1f), Vector512<float>.Zero);

    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(Threshold - x, 0);

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x < Threshold ? -1 : 0;
}
