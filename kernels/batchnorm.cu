// Batch normalization over the feature columns of x(rows, features), row-major:
//  * batchnorm_stats_f32: stats(2, features) = column means (row 0) and biased variances (row 1);
//  * batchnorm_fwd_f32: y = (x - mean) * (gamma * invstd) + beta, invstd = 1 / sqrt(variance + epsilon);
//  * batchnorm_bwd_reduce_f32: sums(2, features) = sum over rows of dy (row 0) and of dy * xhat (row 1);
//  * batchnorm_bwd_f32: dx = gamma * invstd * (dy - sums0 / rows - xhat * sums1 / rows) with batch
//    statistics (sums != null), else dx = gamma * invstd * dy.
// The column reductions give each block one tile of 32 columns (block 32 x 32, no grid-stride loop in x:
// the grid must cover every tile): threadIdx.x picks the column (coalesced reads), threadIdx.y a residue
// class of rows, and the 32 partial values of a column meet in a fixed tree. Large batches are split over
// the rows in chunks fixed by the sizes (grid y walks them), whose sums sum_chunks_f32 adds in order. No
// atomics, so every run gives the same bits, at every grid size. gamma and beta may be null (factor 1, offset 0).
#include "common.cuh"

namespace bn
{

// Every thread of a (32, 32) block passes its partial value; each gets back the total of its column,
// added in a fixed tree over threadIdx.y. Called by every thread (it holds barriers).
__device__ __forceinline__ float column_sum(float v, float (*tile)[33])
{
    tile[threadIdx.y][threadIdx.x] = v;
    __syncthreads();
    for (unsigned int half = 16u; half > 0u; half >>= 1)
    {
        if (threadIdx.y < half) tile[threadIdx.y][threadIdx.x] += tile[threadIdx.y + half][threadIdx.x];
        __syncthreads();
    }
    float total = tile[0][threadIdx.x];
    __syncthreads();   // the next call reuses the tile
    return total;
}

__device__ __forceinline__ float inv_std(float variance, float epsilon)
{
    return 1.0f / sqrtf(variance + epsilon);
}

} // namespace bn

// Grid: ceil(features / 32) blocks of (32, 32). Two passes over the block's columns: the mean, then the
// squared deviations from it (numerically sound, unlike E[x^2] - E[x]^2). rows = 0 writes zeros.
extern "C" __global__ void __launch_bounds__(1024) batchnorm_stats_f32(const float* x, float* stats, int rows, int features)
{
    __shared__ float tile[32][33];
    unsigned int col = blockIdx.x * 32u + threadIdx.x;
    bool inside = col < (unsigned int)features;
    float s = 0.0f;
    if (inside)
        for (unsigned int r = threadIdx.y; r < (unsigned int)rows; r += 32u)
            s += x[r * (unsigned int)features + col];
    float total = bn::column_sum(s, tile);
    float mean = rows > 0 ? total / (float)rows : 0.0f;
    float q = 0.0f;
    if (inside)
        for (unsigned int r = threadIdx.y; r < (unsigned int)rows; r += 32u)
        {
            float d = x[r * (unsigned int)features + col] - mean;
            q += d * d;
        }
    float squares = bn::column_sum(q, tile);
    if (threadIdx.y == 0u && inside)
    {
        stats[col] = mean;
        stats[(unsigned int)features + col] = rows > 0 ? squares / (float)rows : 0.0f;
    }
}

// The row-split form of the statistics, for batches of more than one chunk (see sum_rows_f32): chunk c's
// sum over its rows of x (mean == null) or of (x - mean)^2 goes to partial[c * features + col]; the launcher
// adds the chunks with sum_chunks_f32 (divided by rows) into the mean row, then the variance row.
extern "C" __global__ void __launch_bounds__(1024) batchnorm_column_partial_f32(const float* x, const float* mean, float* partial, int rows, int features, int chunk_rows)
{
    __shared__ float tile[32][33];
    unsigned int col = blockIdx.x * 32u + threadIdx.x;
    bool inside = col < (unsigned int)features;
    float m = inside && mean != nullptr ? mean[col] : 0.0f;
    unsigned int chunks = ((unsigned int)rows + (unsigned int)chunk_rows - 1u) / (unsigned int)chunk_rows;
    for (unsigned int c = blockIdx.y; c < chunks; c += gridDim.y)
    {
        unsigned int first = c * (unsigned int)chunk_rows, end = min(first + (unsigned int)chunk_rows, (unsigned int)rows);
        float s = 0.0f;
        if (inside)
            for (unsigned int r = first + threadIdx.y; r < end; r += 32u)
            {
                float v = x[r * (unsigned int)features + col];
                if (mean != nullptr)
                {
                    float d = v - m;
                    v = d * d;
                }
                s += v;
            }
        float total = bn::column_sum(s, tile);
        if (threadIdx.y == 0u && inside) partial[c * (unsigned int)features + col] = total;
    }
}

// Flat grid-stride over rows * features (< 2^31) elements; the column is i mod features.
extern "C" __global__ void batchnorm_fwd_f32(const float* x, const float* mean, const float* variance, const float* gamma, const float* beta,
                                             float* y, int rows, int features, float epsilon)
{
    unsigned int n = (unsigned int)rows * (unsigned int)features;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        unsigned int col = i % (unsigned int)features;
        float a = (gamma != nullptr ? gamma[col] : 1.0f) * bn::inv_std(variance[col], epsilon);
        float v = (x[i] - mean[col]) * a;
        y[i] = beta != nullptr ? v + beta[col] : v;
    }
}

// Grid (ceil(features / 32), any), block (32, 32); one pass gives both sums. Split over the rows like
// sum_rows_f32: chunk c writes sums[c * 2 * features + col] (dy) and [... + features + col] (dy * xhat); with
// one chunk that is the result, else the launcher adds the chunks with sum_chunks_f32.
extern "C" __global__ void __launch_bounds__(1024) batchnorm_bwd_reduce_f32(const float* x, const float* mean, const float* variance, const float* dy, float* sums,
                                                    int rows, int features, float epsilon, int chunk_rows)
{
    __shared__ float tile[32][33];
    unsigned int col = blockIdx.x * 32u + threadIdx.x;
    bool inside = col < (unsigned int)features;
    float m = inside ? mean[col] : 0.0f, inv = inside ? bn::inv_std(variance[col], epsilon) : 0.0f;
    unsigned int chunks = rows > 0 ? ((unsigned int)rows + (unsigned int)chunk_rows - 1u) / (unsigned int)chunk_rows : 1u;
    for (unsigned int c = blockIdx.y; c < chunks; c += gridDim.y)
    {
        unsigned int first = c * (unsigned int)chunk_rows, end = min(first + (unsigned int)chunk_rows, (unsigned int)rows);
        float s0 = 0.0f, s1 = 0.0f;
        if (inside)
            for (unsigned int r = first + threadIdx.y; r < end; r += 32u)
            {
                unsigned int i = r * (unsigned int)features + col;
                float d = dy[i];
                s0 += d;
                s1 += d * ((x[i] - m) * inv);
            }
        float dbeta = bn::column_sum(s0, tile);
        float dgamma = bn::column_sum(s1, tile);
        if (threadIdx.y == 0u && inside)
        {
            sums[c * 2u * (unsigned int)features + col] = dbeta;
            sums[c * 2u * (unsigned int)features + (unsigned int)features + col] = dgamma;
        }
    }
}

// Flat grid-stride over rows * features elements. sums == null: the statistics are constants (inference).
extern "C" __global__ void batchnorm_bwd_f32(const float* x, const float* mean, const float* variance, const float* gamma, const float* dy,
                                             const float* sums, float* dx, int rows, int features, float epsilon)
{
    unsigned int n = (unsigned int)rows * (unsigned int)features;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        unsigned int col = i % (unsigned int)features;
        float inv = bn::inv_std(variance[col], epsilon);
        float a = (gamma != nullptr ? gamma[col] : 1.0f) * inv;
        if (sums == nullptr)
        {
            dx[i] = dy[i] * a;
            continue;
        }
        // (x - mean) * k = xhat * mean(dy * xhat), with k = invstd * sums1 / rows (grouped as the CPU backend groups
        // it; NVRTC may contract these products into FMAs, so GPU and CPU agree within the reduction tolerance).
        float m0 = sums[col] / (float)rows, k = inv * (sums[(unsigned int)features + col] / (float)rows);
        dx[i] = (dy[i] - m0 - (x[i] - mean[col]) * k) * a;
    }
}
