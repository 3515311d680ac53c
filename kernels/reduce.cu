// Deterministic sums: the whole-buffer sum in two passes (per-block partials, then one block), the column
// sums of a row-major matrix (bias gradients; split over the rows, then the chunks added), and the broadcast of a scalar (the backward of a sum).
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

// Column sums of x(rows, cols), split over the rows: chunk c covers rows [c * chunk_rows, (c + 1) * chunk_rows)
// and its sums go to y[c * cols + col] (with one chunk, y is the result itself; else sum_chunks_f32 adds the
// chunks). Grid (column tiles, any number of chunk slots), block (32, 32): threadIdx.x picks a column of the
// block's 32-column tile (coalesced reads), threadIdx.y a residue class of the chunk's rows; the 32 partial
// sums of a column meet in a fixed tree. The chunks are fixed by chunk_rows, not by the grid, so the result
// has the same bits at every grid size.
extern "C" __global__ void __launch_bounds__(1024) sum_rows_f32(const float* x, float* y, int rows, int cols, int chunk_rows)
{
    __shared__ float tile[32][33];
    unsigned int col = blockIdx.x * 32u + threadIdx.x;
    unsigned int chunks = rows > 0 ? ((unsigned int)rows + (unsigned int)chunk_rows - 1u) / (unsigned int)chunk_rows : 1u;
    for (unsigned int c = blockIdx.y; c < chunks; c += gridDim.y)   // the same trip count for the whole block
    {
        unsigned int first = c * (unsigned int)chunk_rows;
        unsigned int end = min(first + (unsigned int)chunk_rows, (unsigned int)rows);
        float s = 0.0f;
        if (col < (unsigned int)cols)
            for (unsigned int r = first + threadIdx.y; r < end; r += 32u)
                s += x[r * (unsigned int)cols + col];
        tile[threadIdx.y][threadIdx.x] = s;
        __syncthreads();
        for (unsigned int half = 16u; half > 0u; half >>= 1)
        {
            if (threadIdx.y < half) tile[threadIdx.y][threadIdx.x] += tile[threadIdx.y + half][threadIdx.x];
            __syncthreads();
        }
        if (threadIdx.y == 0u && col < (unsigned int)cols) y[c * (unsigned int)cols + col] = tile[0][threadIdx.x];
        __syncthreads();   // the next chunk reuses the tile
    }
}

// out[j] = (sum over c = 0, 1, ... chunks-1 of partial[c * width + j]) / divisor, in that order: the final pass
// of the row-split column reductions. Flat grid-stride over j < width.
extern "C" __global__ void sum_chunks_f32(const float* partial, float* out, int chunks, int width, float divisor)
{
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int j = blockIdx.x * blockDim.x + threadIdx.x; j < (unsigned int)width; j += stride)
    {
        float s = 0.0f;
        for (unsigned int c = 0u; c < (unsigned int)chunks; c++) s += partial[c * (unsigned int)width + j];
        out[j] = s / divisor;
    }
}

// y[i] = scale * s[0].
extern "C" __global__ void broadcast_scalar_f32(const float* s, float* y, int n, float scale)
{
    float v = scale * s[0];
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
        y[i] = v;
}
