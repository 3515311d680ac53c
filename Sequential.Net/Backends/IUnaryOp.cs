using System.Runtime.Intrinsics;

namespace SequentialNet.Backends;

/// <summary>
/// An elementwise function y = f(x) with its derivative, written once for every backend in the style of
/// System.Numerics.Tensors' TensorPrimitives operator structs. Implementations are <c>readonly struct</c>s so
/// the CPU kernels (<c>SimdKernels.Unary&lt;TOp&gt;</c>) are JIT-specialized per op with every call inlined;
/// the CUDA backend launches <c>"{Kernel}_fwd_f32"</c> and <c>"{Kernel}_bwd_f32"</c>.
/// </summary>
/// <remarks>
/// The scalar, <see cref="Vector256{T}"/> and <see cref="Vector512{T}"/> overloads compute the same formula;
/// they agree within fp32 elementwise tolerance (atol 1e-6, rtol 1e-5), not necessarily bitwise.
/// <see cref="Reference(double)"/> and <see cref="ReferenceDerivative(double)"/> are the float64 truth used by
/// gradient checks and by the tests of the float paths.
/// </remarks>
public interface IUnaryOp
{
    /// <summary>CUDA kernel base name, e.g. "relu", launched as "relu_fwd_f32" / "relu_bwd_f32".</summary>
    string Kernel { get; }

    /// <summary>Forward, scalar: f(x).</summary>
    float Invoke(float x);

    /// <summary>Forward, 8 lanes: f(x).</summary>
    Vector256<float> Invoke(Vector256<float> x);

    /// <summary>Forward, 16 lanes: f(x).</summary>
    Vector512<float> Invoke(Vector512<float> x);

    /// <summary>f'(x), scalar; <paramref name="y"/> = f(x) is given so ops such as sigmoid and tanh can reuse it. The backward kernel computes dx = dy·f'(x).</summary>
    float Derivative(float x, float y);

    /// <summary>f'(x), 8 lanes, with y = f(x) given.</summary>
    Vector256<float> Derivative(Vector256<float> x, Vector256<float> y);

    /// <summary>f'(x), 16 lanes, with y = f(x) given.</summary>
    Vector512<float> Derivative(Vector512<float> x, Vector512<float> y);

    /// <summary>float64 reference forward f(x) (gradient checks, tests).</summary>
    double Reference(double x);

    /// <summary>float64 reference derivative f'(x).</summary>
    double ReferenceDerivative(double x);
}
