using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>x·tanh(softplus(x)) (Keras <c>mish</c>); f'(x) = t + x·σ(x)·(1 − t²) with t = tanh(softplus(x)).</summary>
public readonly struct Mish : IUnaryOp
{
    private static float Sp(float x) => new Softplus().Invoke(x);
    private static Vector256<float> Sp(Vector256<float> x) => new Softplus().Invoke(x);
    private static Vector512<float> Sp(Vector512<float> x) => new Softplus().Invoke(x);

    private static float Grad(float x) { float t = OpMath.Tanh(Sp(x)); return t + x * OpMath.Sigmoid(x) * (1f - t * t); }
    private static Vector256<float> Grad(Vector256<float> x) { var t = OpMath.Tanh(Sp(x)); return t + x * OpMath.Sigmoid(x) * (Vector256<float>.One - t * t); }
    private static Vector512<float> Grad(Vector512<float> x) { var t = OpMath.Tanh(Sp(x)); return t + x * OpMath.Sigmoid(x) * (Vector512<float>.One - t * t); }

    private static double RefGrad(double x)
    {
        double t = Math.Tanh(Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x))));
        return t + x * OpMath.Sigmoid(x) * (1 - t * t);
    }

    /// <inheritdoc/>
    public string Kernel => "mish";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x * OpMath.Tanh(Sp(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => x * OpMath.Tanh(Sp(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => x * OpMath.Tanh(Sp(x));

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
    public double Reference(double x) => x * Math.Tanh(Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x))));

    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => RefGrad(x);
}
