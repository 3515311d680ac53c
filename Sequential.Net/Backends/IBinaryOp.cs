using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// An elementwise binary function c = a ∘ b, written once for every backend (TensorPrimitives-style
/// operator struct). Implementations are <c>readonly struct</c>s so CPU kernels specialize on them; the
/// CUDA backend uses <see cref="Kernel"/> to pick its kernel.
/// </summary>
/// <remarks>Gradients of binary ops are expressed as graph ops, so no derivative is needed here.</remarks>
public interface IBinaryOp
{
    /// <summary>CUDA kernel base name: "add", "sub", "mul", "div", "max", "min".</summary>
    string Kernel { get; }

    /// <summary>Scalar: a ∘ b.</summary>
    float Invoke(float a, float b);

    /// <summary>8 lanes: a ∘ b.</summary>
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);

    /// <summary>16 lanes: a ∘ b.</summary>
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);

    /// <summary>float64 reference a ∘ b.</summary>
    double Reference(double a, double b);
}
