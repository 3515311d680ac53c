using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>GELU, tanh approximation (Keras <c>gelu(approximate=True)</c>): 0.5·x·(1 + tanh(c·(x + 0.044715·x³))), c = √(2/π).</summary>
public readonly struct GeluTanh : IUnaryOp
{
    private const double CD = 0.79788456080286535588, KD = 0.044715;
    private const float C = (float)CD, K = (float)KD;

    // f'(x) = ½(1 + t) + ½·x·(1 − t²)·c·(1 + 3k·x²), t = tanh(c·(x + k·x³)).
    private static float Grad(float x) { float t = OpMath.Tanh(C * (x + K * x * x * x)); return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * C * (1f + 3f * K * x * x); }
    private static Vector256<float> Grad(Vector256<float> x)
    {
        var t = OpMath.Tanh(Vector256.Create(C) * (x + Vector256.Create(K) * x * x * x));
        return Vector256.Create(0.5f) * (Vector256<float>.One + t) + Vector256.Create(0.5f * C) * x * (Vector256<float>.One - t * t) * (Vector256<float>.One + Vector256.Create(3f * K) * x * x);
    }
    private static Vector512<float> Grad(Vector512<float> x)
    {
        var t = OpMath.Tanh(Vector512.Create(C) * (x + Vector512.Create(K) * x * x * x));
        return Vector512.Create(0.5f) * (Vector512<float>.One + t) + Vector512.Create(0.5f * C) * x * (Vector512<float>.One - t * t) * (Vector512<float>.One + Vector512.Create(3f * K) * x * x);
    }

    private static double RefGrad(double x)
    {
        double t = Math.Tanh(CD * (x + KD * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * CD * (1 + 3 * KD * x * x);
    }

    /// <inheritdoc/>
    public string Kernel => "gelu_tanh";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => 0.5f * x * (1f + OpMath.Tanh(C * (x + K * x * x * x)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Create(0.5f) * x * (Vector256<float>.One + OpMath.Tanh(Vector256.Create(C) * (x + Vector256.Create(K) * x * x * x)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(0.5f) * x * (Vector512<float>.One + OpMath.Tanh(Vector512.Create(C) * (x + Vector512.Create(K) * x * x * x)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => Grad(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Grad(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Grad(x);

    /// <inheritdoc/>
    public double Reference(double x) => 0.5 * x * (1 + Math.Tanh(CD * (x + KD * x * x * x)));

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => RefGrad(x);
}
