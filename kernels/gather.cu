// Batch gathering on the device: dst row r = src row order.Row(cursor + r, epoch), with the cursor and the
// epoch read from the device counters, and the shuffled order computed per row by the keyed Feistel
// permutation of Sequential.Net/Backends/RowOrder.cs (common.cuh), so no index list exists anywhere and a
// captured step needs no host input.
#include "common.cuh"

// Block (threads per row, rows per block); a grid-stride loop over the batch rows. Positions outside
// [0, count) are a bug upstream (the CPU backend throws): they yield NaN rows rather than reads past the data.
extern "C" __global__ void gather_rows_f32(const float* src, float* dst, int rows, int row_length, const int* counters,
                                           int cursor_slot, int epoch_slot, int start, int count, int shuffled, unsigned long long seed)
{
    int cursor = counters[cursor_slot];
    unsigned int epoch = (unsigned int)counters[epoch_slot];
    for (unsigned int r = blockIdx.x * blockDim.y + threadIdx.y; r < (unsigned int)rows; r += gridDim.x * blockDim.y)
    {
        float* out = dst + (unsigned long long)r * (unsigned int)row_length;
        long long position = (long long)cursor + (long long)r;
        if (cursor < 0 || position >= (long long)count)
        {
            for (unsigned int j = threadIdx.x; j < (unsigned int)row_length; j += blockDim.x) out[j] = SNET_NAN;
            continue;
        }
        unsigned int p = (unsigned int)position;
        unsigned int row = (unsigned int)start + (shuffled != 0 ? snet::permute_row(p, (unsigned int)count, seed, epoch) : p);
        const float* in = src + (unsigned long long)row * (unsigned int)row_length;
        for (unsigned int j = threadIdx.x; j < (unsigned int)row_length; j += blockDim.x) out[j] = in[j];
    }
}

// Strided copy of a column block (Concatenate and its gradient): dst[r*dst_stride + dst_offset + c] =
// src[r*src_stride + src_offset + c], grid-stride over rows*cols (< 2^31) elements.
extern "C" __global__ void copy_columns_f32(const float* src, float* dst, int rows, int cols, int src_stride, int src_offset,
                                            int dst_stride, int dst_offset)
{
    unsigned int n = (unsigned int)rows * (unsigned int)cols;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    {
        unsigned int r = i / (unsigned int)cols, c = i % (unsigned int)cols;
        dst[(unsigned long long)r * (unsigned int)dst_stride + (unsigned int)dst_offset + c] =
            src[(unsigned long long)r * (unsigned int)src_stride + (unsigned int)src_offset + c];
    }
}

// Axis permutation of up to 5 axes (Permute layers and their gradient): destination element i, decomposed into
// coordinates over the destination dims d0..d4 (last fastest), reads the source at Σ coordinate·stride, where
// s0..s4 are the source strides of the destination axes. Unused axes have dim 1 and stride 0.
extern "C" __global__ void permute_f32(const float* src, float* dst, int n, int s0, int s1, int s2, int s3, int s4,
                                       int d0, int d1, int d2, int d3, int d4)
{
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += gridDim.x * blockDim.x)
    {
        unsigned int rest = i, from = 0;
        from += rest % (unsigned int)d4 * (unsigned int)s4; rest /= (unsigned int)d4;
        from += rest % (unsigned int)d3 * (unsigned int)s3; rest /= (unsigned int)d3;
        from += rest % (unsigned int)d2 * (unsigned int)s2; rest /= (unsigned int)d2;
        from += rest % (unsigned int)d1 * (unsigned int)s1; rest /= (unsigned int)d1;
        from += rest % (unsigned int)d0 * (unsigned int)s0;
        dst[i] = src[from];
    }
}
