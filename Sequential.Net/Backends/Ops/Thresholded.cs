using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// x where x &gt; Threshold, else 0 (Keras's <c>x * (x &gt; threshold)</c> inside <c>activations.relu</c>); f'(x) = 1 above
/// the threshold, else 0. The positive part of <see cref="Layers.ReLU"/> with a threshold.
/// </summary>
public readonly struct Thresholded(float threshold) : IUnaryOp
{
    /// <summary>Where the identity part starts (exclusive).</summary>
    public float Threshold { get; } = threshold;

    /// <inheritdoc/>
    public string Kernel => "thresholded";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x > Threshold ? x : (float.IsNaN(x) ? x : 0f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Threshold)), x, Vector256<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Threshold)), x, Vector512<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => x > Threshold ? 1f : 0f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Threshold)), Vector256<float>.One, Vector256<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Threshold)), Vector512<float>.One, Vector512<float>.Zero);

    /// <inheritdoc/>
    public double Reference(double x) => x > Threshold ? x : 0;

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > Threshold ? 1 : 0;
}
