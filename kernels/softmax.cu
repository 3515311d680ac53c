// Row-wise softmax, its backward, and the fused, numerically stable softmax cross-entropy (forward and
// backward, sparse or dense targets, Keras label smoothing). Launch shape (see common.cuh): a group of
// blockDim.x threads per row (a warp for narrow rows, a whole block for wide ones), blockDim.y rows per
// block, a block-uniform grid-stride loop over rows. Shared scratch: 32 floats per row group.
#include "common.cuh"

namespace softmax
{

// The (smoothed) target probability of class j in row r: sparse labels are class indices stored as floats.
__device__ __forceinline__ float target(const float* t, unsigned int r, int j, int cols, int sparse, float smoothing)
{
    float v = sparse != 0 ? ((int)t[r] == j ? 1.0f : 0.0f) : t[(unsigned long long)r * (unsigned int)cols + (unsigned int)j];
    return smoothing == 0.0f ? v : v * (1.0f - smoothing) + smoothing / (float)cols;
}

// Max of a row over the group.
__device__ __forceinline__ float row_max(const float* z, int len, float* scratch)
{
    float m = SNET_NEG_INF;
    for (int j = (int)threadIdx.x; j < len; j += (int)blockDim.x) m = snet::max_nan(m, z[j]);
    return snet::group_max(m, scratch);
}

// Σ_j e^(x_j − m) over one row, reduced across the row's thread group (every thread gets the sum).
__device__ __forceinline__ float row_sum_exp(const float* xr, int len, float m, float* scratch)
{
    float s = 0.0f;
    for (int j = (int)threadIdx.x; j < len; j += (int)blockDim.x) s += expf(xr[j] - m);
    return snet::group_sum(s, scratch);
}

} // namespace softmax

// y(rows, cols) = softmax of each row of x, max-subtracted.
extern "C" __global__ void softmax_fwd_f32(const float* x, float* y, int rows, int cols)
{
    __shared__ float scratch[32 * 32];
    for (unsigned int base = blockIdx.x * blockDim.y; base < (unsigned int)rows; base += gridDim.x * blockDim.y)
    {
        snet::GroupRow at(base, rows, cols);
        const float* xr = x + at.offset;
        float* yr = y + at.offset;
        float m = softmax::row_max(xr, at.len, scratch);
        float s = softmax::row_sum_exp(xr, at.len, m, scratch);
        float inv = 1.0f / s;
        for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x) yr[j] = expf(xr[j] - m) * inv;
    }
}

// dx = y * (dy - sum_j dy * y) per row.
extern "C" __global__ void softmax_bwd_f32(const float* y, const float* dy, float* dx, int rows, int cols)
{
    __shared__ float scratch[32 * 32];
    for (unsigned int base = blockIdx.x * blockDim.y; base < (unsigned int)rows; base += gridDim.x * blockDim.y)
    {
        snet::GroupRow at(base, rows, cols);
        const float* yr = y + at.offset;
        const float* dyr = dy + at.offset;
        float* dxr = dx + at.offset;
        float dot = 0.0f;
        for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x) dot += yr[j] * dyr[j];
        dot = snet::group_sum(dot, scratch);
        for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x) dxr[j] = yr[j] * (dyr[j] - dot);
    }
}

// loss(rows) = log sum_j e^(z_j - max) - sum_j t_j (z_j - max)  (= logsumexp(z) - t.z since sum t = 1).
extern "C" __global__ void softmax_ce_fwd_f32(const float* z, const float* t, float* loss, int rows, int cols, int sparse, float smoothing)
{
    __shared__ float scratch[32 * 32];
    for (unsigned int base = blockIdx.x * blockDim.y; base < (unsigned int)rows; base += gridDim.x * blockDim.y)
    {
        snet::GroupRow at(base, rows, cols);
        const float* zr = z + at.offset;
        float m = softmax::row_max(zr, at.len, scratch);
        float s = 0.0f, dot = 0.0f;
        for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x)
        {
            float d = zr[j] - m;
            s += expf(d);
            dot += softmax::target(t, at.row, j, cols, sparse, smoothing) * d;
        }
        s = snet::group_sum(s, scratch);
        dot = snet::group_sum(dot, scratch);
        if (at.active && threadIdx.x == 0u) loss[at.row] = logf(s) - dot;
    }
}

// dz(rows, cols) = (softmax(z) - t) * dloss[row].
extern "C" __global__ void softmax_ce_bwd_f32(const float* z, const float* t, const float* dloss, float* dz, int rows, int cols, int sparse, float smoothing)
{
    __shared__ float scratch[32 * 32];
    for (unsigned int base = blockIdx.x * blockDim.y; base < (unsigned int)rows; base += gridDim.x * blockDim.y)
    {
        snet::GroupRow at(base, rows, cols);
        const float* zr = z + at.offset;
        float* dzr = dz + at.offset;
        float m = softmax::row_max(zr, at.len, scratch);
        float s = softmax::row_sum_exp(zr, at.len, m, scratch);
        float inv = 1.0f / s;
        float g = at.active ? dloss[at.row] : 0.0f;
        for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x)
            dzr[j] = (expf(zr[j] - m) * inv - softmax::target(t, at.row, j, cols, sparse, smoothing)) * g;
    }
}

// y(rows, cols) = x - max - log(sum_j e^(x_j - max)) per row: log_softmax without forming the probabilities.
extern "C" __global__ void log_softmax_fwd_f32(const float* x, float* y, int rows, int cols)
{
    __shared__ float scratch[32 * 32];
    for (unsigned int base = blockIdx.x * blockDim.y; base < (unsigned int)rows; base += gridDim.x * blockDim.y)
    {
        snet::GroupRow at(base, rows, cols);
        const float* xr = x + at.offset;
        float* yr = y + at.offset;
        float m = softmax::row_max(xr, at.len, scratch);
        float shift = m + logf(softmax::row_sum_exp(xr, at.len, m, scratch));
        for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x) yr[j] = xr[j] - shift;
    }
}

// dx = dy - e^y * sum_j dy per row (y: the log_softmax output).
extern "C" __global__ void log_softmax_bwd_f32(const float* y, const float* dy, float* dx, int rows, int cols)
{
    __shared__ float scratch[32 * 32];
    for (unsigned int base = blockIdx.x * blockDim.y; base < (unsigned int)rows; base += gridDim.x * blockDim.y)
    {
        snet::GroupRow at(base, rows, cols);
        const float* yr = y + at.offset;
        const float* dyr = dy + at.offset;
        float* dxr = dx + at.offset;
        float sum = 0.0f;
        for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x) sum += dyr[j];
        sum = snet::group_sum(sum, scratch);
        for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x) dxr[j] = dyr[j] - expf(yr[j]) * sum;
    }
}
