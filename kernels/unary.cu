// Elementwise unary functions y = f(x) and their backward passes dx = dy * f'(x) (with y = f(x) given),
// one pair per operator struct of Sequential.Net/Backends/Ops (IUnaryOp.Kernel names them), plus scale.
// Every pair has the same signature; p is the op's parameter (LeakyRelu.NegativeSlope, Elu.Alpha), unused
// by the others. The formulas follow the C# structs; their special values (NaN through relu, 0 for
// gelu/swish at -inf, sign(0) = 0) are kept.
#include "common.cuh"

namespace unary
{

__device__ __forceinline__ float sigmoid(float x)
{
    // e = exp(-|x|) <= 1: nothing overflows, +-inf give exactly 1 or 0.
    float e = expf(-fabsf(x));
    float r = 1.0f / (1.0f + e);
    return x >= 0.0f ? r : e * r;
}

// Phi(x) = (1 + erf(x / sqrt 2)) / 2. In the far left tail 1 + erf cancels: the absolute error stays
// below |x| * 6e-8, inside the fp32 elementwise tolerance for the values GELU produces there.
__device__ __forceinline__ float normal_cdf(float x)
{
    return 0.5f * (1.0f + erff(x * 0.70710678118654752f));
}

struct Relu
{
    __device__ static float fwd(float x, float) { return x > 0.0f ? x : (x != x ? x : 0.0f); }
    __device__ static float grad(float x, float, float) { return x > 0.0f ? 1.0f : 0.0f; }
};

struct LeakyRelu
{
    __device__ static float fwd(float x, float slope) { return x > 0.0f ? x : slope * x; }
    __device__ static float grad(float x, float, float slope) { return x > 0.0f ? 1.0f : slope; }
};

struct Sigmoid
{
    __device__ static float fwd(float x, float) { return sigmoid(x); }
    __device__ static float grad(float, float y, float) { return y * (1.0f - y); }
};

struct Tanh
{
    __device__ static float fwd(float x, float) { return tanhf(x); }
    __device__ static float grad(float, float y, float) { return 1.0f - y * y; }
};

struct Identity
{
    __device__ static float fwd(float x, float) { return x; }
    __device__ static float grad(float, float, float) { return 1.0f; }
};

struct Elu
{
    __device__ static float fwd(float x, float alpha) { return x > 0.0f ? x : alpha * (expf(x) - 1.0f); }
    __device__ static float grad(float x, float y, float alpha) { return x > 0.0f ? 1.0f : y + alpha; }
};

struct Swish
{
    __device__ static float fwd(float x, float)
    {
        float s = sigmoid(x);
        return s == 0.0f ? 0.0f : x * s;   // x = -inf: the limit is 0, not -inf * 0
    }
    __device__ static float grad(float x, float, float)
    {
        float s = sigmoid(x);
        float sp = s * sigmoid(-x);        // sigma(x)(1 - sigma(x)) without cancellation
        return sp == 0.0f ? s : x * sp + s;
    }
};

struct Gelu
{
    __device__ static float fwd(float x, float)
    {
        float cdf = normal_cdf(x);
        return cdf == 0.0f ? 0.0f : x * cdf;
    }
    __device__ static float grad(float x, float, float)
    {
        float cdf = normal_cdf(x);
        float e = expf(-0.5f * x * x);     // sqrt(2 pi) * phi(x)
        return e == 0.0f ? cdf : x * e * 0.3989422804014327f + cdf;
    }
};

struct Exp
{
    __device__ static float fwd(float x, float) { return expf(x); }
    __device__ static float grad(float, float y, float) { return y; }
};

struct Log
{
    __device__ static float fwd(float x, float) { return logf(x); }
    __device__ static float grad(float x, float, float) { return 1.0f / x; }
};

struct Square
{
    __device__ static float fwd(float x, float) { return x * x; }
    __device__ static float grad(float x, float, float) { return x + x; }
};

struct Sqrt
{
    __device__ static float fwd(float x, float) { return sqrtf(x); }
    __device__ static float grad(float, float y, float) { return 0.5f / y; }
};

struct Abs
{
    __device__ static float fwd(float x, float) { return fabsf(x); }
    __device__ static float grad(float x, float, float) { return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : x); }
};

struct Negate
{
    __device__ static float fwd(float x, float) { return -x; }
    __device__ static float grad(float, float, float) { return -1.0f; }
};

// Keras's further activations (Backends/Ops: Selu, Softplus, Softsign, Relu6, HardSigmoid, HardSilu, Mish, GeluTanh).
__device__ __forceinline__ float softplus(float x) { return fmaxf(x, 0.0f) + logf(1.0f + expf(-fabsf(x))); }

struct Selu
{
    static constexpr float scale = 1.05070098735548049342f, scale_alpha = 1.75809934084737685994f;
    __device__ static float fwd(float x, float) { return x > 0.0f ? scale * x : scale_alpha * (expf(x) - 1.0f); }
    __device__ static float grad(float x, float y, float) { return x > 0.0f ? scale : y + scale_alpha; }
};

struct Softplus
{
    __device__ static float fwd(float x, float) { return softplus(x); }
    __device__ static float grad(float x, float, float) { return sigmoid(x); }
};

struct Softsign
{
    __device__ static float fwd(float x, float) { return x / (1.0f + fabsf(x)); }
    __device__ static float grad(float x, float, float) { float d = 1.0f + fabsf(x); return 1.0f / (d * d); }
};

// ReLU with a threshold t = p (Layers/ReLU.cs): x above t else 0, and max(t − x, 0).
struct Thresholded
{
    __device__ static float fwd(float x, float t) { return x > t ? x : (x != x ? x : 0.0f); }
    __device__ static float grad(float x, float, float t) { return x > t ? 1.0f : 0.0f; }
};

struct ReluBelow
{
    __device__ static float fwd(float x, float t) { return x < t ? t - x : (x != x ? x : 0.0f); }
    __device__ static float grad(float x, float, float t) { return x < t ? -1.0f : 0.0f; }
};

struct Relu6
{
    __device__ static float fwd(float x, float) { return x > 0.0f ? fminf(x, 6.0f) : (x != x ? x : 0.0f); }
    __device__ static float grad(float x, float, float) { return x > 0.0f && x < 6.0f ? 1.0f : 0.0f; }
};

struct HardSigmoid
{
    __device__ static float fwd(float x, float) { return fminf(fmaxf(x + 3.0f, 0.0f), 6.0f) / 6.0f; }
    __device__ static float grad(float x, float, float) { return x > -3.0f && x < 3.0f ? 1.0f / 6.0f : 0.0f; }
};

struct HardSilu
{
    __device__ static float fwd(float x, float) { return x * (fminf(fmaxf(x + 3.0f, 0.0f), 6.0f) / 6.0f); }
    __device__ static float grad(float x, float, float) { return x <= -3.0f ? 0.0f : (x >= 3.0f ? 1.0f : (2.0f * x + 3.0f) / 6.0f); }
};

struct Mish
{
    __device__ static float fwd(float x, float) { return x * tanhf(softplus(x)); }
    __device__ static float grad(float x, float, float) { float t = tanhf(softplus(x)); return t + x * sigmoid(x) * (1.0f - t * t); }
};

struct GeluTanh
{
    static constexpr float c = 0.79788456080286535588f, k = 0.044715f;
    __device__ static float fwd(float x, float) { return 0.5f * x * (1.0f + tanhf(c * (x + k * x * x * x))); }
    __device__ static float grad(float x, float, float)
    {
        float t = tanhf(c * (x + k * x * x * x));
        return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * c * (1.0f + 3.0f * k * x * x);
    }
};

template <class Op>
__device__ __forceinline__ void forward(const float* x, float* y, int n, float p)
{
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
        y[i] = Op::fwd(x[i], p);
}

template <class Op>
__device__ __forceinline__ void backward(const float* x, const float* y, const float* dy, float* dx, int n, float p)
{
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
        dx[i] = dy[i] * Op::grad(x[i], y[i], p);
}

} // namespace unary

extern "C" __global__ void relu_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Relu>(x, y, n, p); }
extern "C" __global__ void relu_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Relu>(x, y, dy, dx, n, p); }

extern "C" __global__ void leaky_relu_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::LeakyRelu>(x, y, n, p); }
extern "C" __global__ void leaky_relu_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::LeakyRelu>(x, y, dy, dx, n, p); }

extern "C" __global__ void sigmoid_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Sigmoid>(x, y, n, p); }
extern "C" __global__ void sigmoid_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Sigmoid>(x, y, dy, dx, n, p); }

extern "C" __global__ void tanh_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Tanh>(x, y, n, p); }
extern "C" __global__ void tanh_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Tanh>(x, y, dy, dx, n, p); }

extern "C" __global__ void identity_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Identity>(x, y, n, p); }
extern "C" __global__ void identity_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Identity>(x, y, dy, dx, n, p); }

extern "C" __global__ void elu_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Elu>(x, y, n, p); }
extern "C" __global__ void elu_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Elu>(x, y, dy, dx, n, p); }

extern "C" __global__ void swish_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Swish>(x, y, n, p); }
extern "C" __global__ void swish_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Swish>(x, y, dy, dx, n, p); }

extern "C" __global__ void gelu_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Gelu>(x, y, n, p); }
extern "C" __global__ void gelu_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Gelu>(x, y, dy, dx, n, p); }

extern "C" __global__ void exp_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Exp>(x, y, n, p); }
extern "C" __global__ void exp_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Exp>(x, y, dy, dx, n, p); }

extern "C" __global__ void log_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Log>(x, y, n, p); }
extern "C" __global__ void log_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Log>(x, y, dy, dx, n, p); }

extern "C" __global__ void square_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Square>(x, y, n, p); }
extern "C" __global__ void square_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Square>(x, y, dy, dx, n, p); }

extern "C" __global__ void sqrt_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Sqrt>(x, y, n, p); }
extern "C" __global__ void sqrt_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Sqrt>(x, y, dy, dx, n, p); }

extern "C" __global__ void abs_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Abs>(x, y, n, p); }
extern "C" __global__ void abs_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Abs>(x, y, dy, dx, n, p); }

extern "C" __global__ void negate_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Negate>(x, y, n, p); }
extern "C" __global__ void negate_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Negate>(x, y, dy, dx, n, p); }

// The epilogue of a Dense forward, one pass over C(rows, cols) after the GEMM: c = f(c + bias[col]). The
// same operations as the bias row broadcast followed by the activation, so the same bits.
namespace unary
{

template <class Op>
__device__ __forceinline__ void bias_forward(float* c, const float* bias, int rows, int cols, float p)
{
    unsigned int n = (unsigned int)rows * (unsigned int)cols;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
        c[i] = Op::fwd(c[i] + bias[i % (unsigned int)cols], p);
}

} // namespace unary

extern "C" __global__ void relu_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Relu>(c, bias, rows, cols, p); }
extern "C" __global__ void leaky_relu_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::LeakyRelu>(c, bias, rows, cols, p); }
extern "C" __global__ void sigmoid_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Sigmoid>(c, bias, rows, cols, p); }
extern "C" __global__ void tanh_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Tanh>(c, bias, rows, cols, p); }
extern "C" __global__ void identity_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Identity>(c, bias, rows, cols, p); }
extern "C" __global__ void elu_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Elu>(c, bias, rows, cols, p); }
extern "C" __global__ void swish_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Swish>(c, bias, rows, cols, p); }
extern "C" __global__ void gelu_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Gelu>(c, bias, rows, cols, p); }
extern "C" __global__ void exp_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Exp>(c, bias, rows, cols, p); }
extern "C" __global__ void log_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Log>(c, bias, rows, cols, p); }
extern "C" __global__ void square_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Square>(c, bias, rows, cols, p); }
extern "C" __global__ void sqrt_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Sqrt>(c, bias, rows, cols, p); }
extern "C" __global__ void abs_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Abs>(c, bias, rows, cols, p); }
extern "C" __global__ void negate_bias_fwd_f32(float* c, const float* bias, int rows, int cols, float p) { unary::bias_forward<unary::Negate>(c, bias, rows, cols, p); }

// y = alpha * x.
extern "C" __global__ void scale_f32(const float* x, float* y, int n, float alpha)
{
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
        y[i] = alpha * x[i];
}

extern "C" __global__ void selu_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Selu>(x, y, n, p); }
extern "C" __global__ void selu_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Selu>(x, y, dy, dx, n, p); }

extern "C" __global__ void softplus_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Softplus>(x, y, n, p); }
extern "C" __global__ void softplus_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Softplus>(x, y, dy, dx, n, p); }

extern "C" __global__ void softsign_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Softsign>(x, y, n, p); }
extern "C" __global__ void softsign_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Softsign>(x, y, dy, dx, n, p); }

extern "C" __global__ void thresholded_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Thresholded>(x, y, n, p); }
extern "C" __global__ void thresholded_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Thresholded>(x, y, dy, dx, n, p); }
extern "C" __global__ void relu_below_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::ReluBelow>(x, y, n, p); }
extern "C" __global__ void relu_below_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::ReluBelow>(x, y, dy, dx, n, p); }
extern "C" __global__ void relu6_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Relu6>(x, y, n, p); }
extern "C" __global__ void relu6_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Relu6>(x, y, dy, dx, n, p); }

extern "C" __global__ void hard_sigmoid_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::HardSigmoid>(x, y, n, p); }
extern "C" __global__ void hard_sigmoid_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::HardSigmoid>(x, y, dy, dx, n, p); }

extern "C" __global__ void hard_silu_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::HardSilu>(x, y, n, p); }
extern "C" __global__ void hard_silu_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::HardSilu>(x, y, dy, dx, n, p); }

extern "C" __global__ void mish_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::Mish>(x, y, n, p); }
extern "C" __global__ void mish_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::Mish>(x, y, dy, dx, n, p); }

extern "C" __global__ void gelu_tanh_fwd_f32(const float* x, float* y, int n, float p) { unary::forward<unary::GeluTanh>(x, y, n, p); }
extern "C" __global__ void gelu_tanh_bwd_f32(const float* x, const float* y, const float* dy, float* dx, int n, float p) { unary::backward<unary::GeluTanh>(x, y, dy, dx, n, p); }
