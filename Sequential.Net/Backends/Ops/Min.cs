using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// Elementwise minimum: c = min(a, b), IEEE 754-2019 minimum (NaN propagates, −0 &lt; +0),
/// the semantics of <see cref="MathF.Min(float, float)"/> and <c>VectorNNN.Min</c>.
/// </summary>
public readonly struct Min : IBinaryOp
{
    /// <inheritdoc/>
    public string Kernel => "min";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => MathF.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);

    /// <inheritdoc/>
    public double Reference(double a, double b) => Math.Min(a, b);
}
