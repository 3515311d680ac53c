using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// c = 1 where a ≥ b, else 0 (0 when either is NaN): the mask that routes the gradient of Maximum and
/// Minimum to the operand that won, the first on a tie (TensorFlow's rule).
/// </summary>
public readonly struct GreaterEqual : IBinaryOp
{
    /// <inheritdoc/>
    public string Kernel => "ge";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => a >= b ? 1f : 0f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b) & Vector256<float>.One;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThanOrEqual(a, b) & Vector512<float>.One;

    /// <inheritdoc/>
    public double Reference(double a, double b) => a >= b ? 1.0 : 0.0;
}
