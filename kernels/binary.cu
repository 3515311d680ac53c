// Elementwise binary functions c = a op b (same lengths) and the row broadcast c(rows, cols) =
// a(rows, cols) op row(cols) (bias add), one pair per operator struct of Sequential.Net/Backends/Ops
// (IBinaryOp.Kernel names them). ge is the 0/1 mask a >= b. max/min propagate NaN like .NET's MathF.Max/Min.
#include "common.cuh"

namespace binary
{

struct Add { __device__ static float apply(float a, float b) { return a + b; } };
struct Sub { __device__ static float apply(float a, float b) { return a - b; } };
struct Mul { __device__ static float apply(float a, float b) { return a * b; } };
struct Div { __device__ static float apply(float a, float b) { return a / b; } };
struct Max { __device__ static float apply(float a, float b) { return snet::max_nan(a, b); } };
struct Min { __device__ static float apply(float a, float b) { return snet::min_nan(a, b); } };
struct Ge { __device__ static float apply(float a, float b) { return a >= b ? 1.0f : 0.0f; } };   // 0 when either is NaN

template <class Op>
__device__ __forceinline__ void elementwise(const float* a, const float* b, float* c, int n)
{
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
        c[i] = Op::apply(a[i], b[i]);
}

// Flat grid-stride over rows * cols (< 2^31) elements; the column is i mod cols.
template <class Op>
__device__ __forceinline__ void row_broadcast(const float* a, const float* row, float* c, int rows, int cols)
{
    unsigned int n = (unsigned int)rows * (unsigned int)cols;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
        c[i] = Op::apply(a[i], row[i % (unsigned int)cols]);
}

} // namespace binary

extern "C" __global__ void add_fwd_f32(const float* a, const float* b, float* c, int n) { binary::elementwise<binary::Add>(a, b, c, n); }
extern "C" __global__ void add_rowbcast_f32(const float* a, const float* row, float* c, int rows, int cols) { binary::row_broadcast<binary::Add>(a, row, c, rows, cols); }

extern "C" __global__ void sub_fwd_f32(const float* a, const float* b, float* c, int n) { binary::elementwise<binary::Sub>(a, b, c, n); }
extern "C" __global__ void sub_rowbcast_f32(const float* a, const float* row, float* c, int rows, int cols) { binary::row_broadcast<binary::Sub>(a, row, c, rows, cols); }

extern "C" __global__ void mul_fwd_f32(const float* a, const float* b, float* c, int n) { binary::elementwise<binary::Mul>(a, b, c, n); }
extern "C" __global__ void mul_rowbcast_f32(const float* a, const float* row, float* c, int rows, int cols) { binary::row_broadcast<binary::Mul>(a, row, c, rows, cols); }

extern "C" __global__ void div_fwd_f32(const float* a, const float* b, float* c, int n) { binary::elementwise<binary::Div>(a, b, c, n); }
extern "C" __global__ void div_rowbcast_f32(const float* a, const float* row, float* c, int rows, int cols) { binary::row_broadcast<binary::Div>(a, row, c, rows, cols); }

extern "C" __global__ void max_fwd_f32(const float* a, const float* b, float* c, int n) { binary::elementwise<binary::Max>(a, b, c, n); }
extern "C" __global__ void max_rowbcast_f32(const float* a, const float* row, float* c, int rows, int cols) { binary::row_broadcast<binary::Max>(a, row, c, rows, cols); }

extern "C" __global__ void min_fwd_f32(const float* a, const float* b, float* c, int n) { binary::elementwise<binary::Min>(a, b, c, n); }
extern "C" __global__ void min_rowbcast_f32(const float* a, const float* row, float* c, int rows, int cols) { binary::row_broadcast<binary::Min>(a, row, c, rows, cols); }

extern "C" __global__ void ge_fwd_f32(const float* a, const float* b, float* c, int n) { binary::elementwise<binary::Ge>(a, b, c, n); }
extern "C" __global__ void ge_rowbcast_f32(const float* a, const float* row, float* c, int rows, int cols) { binary::row_broadcast<binary::Ge>(a, row, c, rows, cols); }
