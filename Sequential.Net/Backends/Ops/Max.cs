using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// Elementwise maximum: c = max(a, b), IEEE 754-2019 maximum (NaN propagates, +0 &gt; −0),
/// the semantics of <see cref="MathF.Max(float, float)"/> and <c>VectorNNN.Max</c>.
/// </summary>
public readonly struct Max : IBinaryOp
{
    /// <inheritdoc/>
    public string Kernel => "max";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => MathF.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    /// <inheritdoc/>
    public double Reference(double a, double b) => Math.Max(a, b);
}
