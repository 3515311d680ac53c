// Deterministic sums: the whole-buffer sum in two passes (per-block partials, then one block), the column
// sums of a row-major matrix (bias gradients), and the broadcast of a scalar (the backward of a sum).
// Each adds in an order fixed by the launch shape alone, so the same input gives the same bits every run.
#include "common.cuh"

// partial[blockIdx.x] = sum of the elements i = blockIdx.x * blockDim.x + threadIdx.x + k * stride.
extern "C" __global__ void sum_partial_f32(const float* x, int n, float* partial)
{
    __shared__ float scratch[32];
    float s = 0.0f;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
        s += x[i];
    s = snet::group_sum(s, scratch);
    if (threadIdx.x == 0u) partial[blockIdx.x] = s;
}

// One block: out[index] = scale * sum(x[0..n)), or out[index] += scale * sum when accumulate != 0.
extern "C" __global__ void sum_final_f32(const float* x, int n, float* out, int index, float scale, int accumulate)
{
    __shared__ float scratch[32];
    float s = 0.0f;
    for (unsigned int i = threadIdx.x; i < (unsigned int)n; i += blockDim.x)
        s += x[i];
    s = snet::group_sum(s, scratch);
    if (threadIdx.x == 0u) out[index] = accumulate != 0 ? out[index] + scale * s : scale * s;
}

// y(cols) = sum over rows of x(rows, cols). Block (32, 32): threadIdx.x picks a column of the block's
// 32-column tile (coalesced reads), threadIdx.y a residue class of rows; the 32 partial sums of a column
// then meet in a fixed tree.
extern "C" __global__ void sum_rows_f32(const float* x, float* y, int rows, int cols)
{
    __shared__ float tile[32][33];
    unsigned int col = blockIdx.x * 32u + threadIdx.x;
    float s = 0.0f;
    if (col < (unsigned int)cols)
        for (unsigned int r = threadIdx.y; r < (unsigned int)rows; r += 32u)
            s += x[r * (unsigned int)cols + col];
    tile[threadIdx.y][threadIdx.x] = s;
    __syncthreads();
    for (unsigned int half = 16u; half > 0u; half >>= 1)
    {
        if (threadIdx.y < half) tile[threadIdx.y][threadIdx.x] += tile[threadIdx.y + half][threadIdx.x];
        __syncthreads();
    }
    if (threadIdx.y == 0u && col < (unsigned int)cols) y[col] = tile[0][threadIdx.x];
}

// y[i] = scale * s[0].
extern "C" __global__ void broadcast_scalar_f32(const float* s, float* y, int n, float scale)
{
    float v = scale * s[0];
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
        y[i] = v;
}
