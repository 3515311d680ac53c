// Confusion counts behind the Keras metrics that are not per-sample means (CountTopK, CountThresholds).
// Counts are integers (exact, so the order of the sums does not matter) added to float accumulators:
// exact while a batch adds fewer than 2^24 to one slot. Launch shape: blockDim.x a multiple of 32.
#include "common.cuh"

namespace metrics
{

// Sums v over the block; the result is valid in thread 0. Every thread of the block must call it.
__device__ __forceinline__ int block_sum_int(int v, int* per_warp)
{
    unsigned int lane = threadIdx.x & 31u, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = snet::warp_sum_int(v);
    __syncthreads();
    if (lane == 0u) per_warp[warp] = v;
    __syncthreads();
    int s = 0;
    if (threadIdx.x == 0u)
        for (unsigned int w = 0; w < warps; ++w) s += per_warp[w];
    return s;
}

// Threshold i of count: first, i / (count - 1) for the interior ones, last (Keras's AUC placement).
__device__ __forceinline__ float threshold_at(int i, int count, float first, float last)
{
    if (i == 0) return first;
    if (i == count - 1) return last;
    return (float)((double)i / (double)(count - 1));
}

} // namespace metrics

// One block. acc[index] += rows whose target class is in the top k of the row (in_top_k semantics: the
// class counts when fewer than k classes score strictly higher; a non-finite score or a class index
// outside [0, cols) never counts). sparse: t holds a class index per row, else a one-hot row (its argmax).
extern "C" __global__ void count_top_k_f32(const float* p, const float* t, float* acc, int index, int rows, int cols, int k, int sparse)
{
    __shared__ int per_warp[32];
    int hits = 0;
    for (unsigned int r = threadIdx.x; r < (unsigned int)rows; r += blockDim.x)
    {
        const float* pr = p + (unsigned long long)r * (unsigned int)cols;
        int target = 0;
        if (sparse) target = (int)t[r];
        else
        {
            const float* tr = t + (unsigned long long)r * (unsigned int)cols;
            for (int j = 1; j < cols; ++j) if (tr[j] > tr[target]) target = j;
        }
        if (target < 0 || target >= cols) continue;
        float score = pr[target];
        if (!(score - score == 0.0f)) continue;            // NaN or infinite
        int higher = 0;
        for (int j = 0; j < cols; ++j) higher += pr[j] > score ? 1 : 0;
        hits += higher < k ? 1 : 0;
    }
    int total = metrics::block_sum_int(hits, per_warp);
    if (threadIdx.x == 0u) acc[index] += (float)total;
}

// One block per threshold i (grid-stride over thresholds). For the n elements, predicted positive means
// p > threshold, actually positive means t != 0; acc[index + 4 i + {0, 1, 2, 3}] += TP, FP, TN, FN.
extern "C" __global__ void count_thresholds_f32(const float* p, const float* t, float* acc, int index, int n, int count, float first, float last)
{
    __shared__ int per_warp[32];
    for (int i = blockIdx.x; i < count; i += gridDim.x)
    {
        float threshold = metrics::threshold_at(i, count, first, last);
        int tp = 0, fp = 0, fn = 0;
        for (unsigned int e = threadIdx.x; e < (unsigned int)n; e += blockDim.x)
        {
            bool predicted = p[e] > threshold, actual = t[e] != 0.0f;
            tp += predicted && actual ? 1 : 0;
            fp += predicted && !actual ? 1 : 0;
            fn += !predicted && actual ? 1 : 0;
        }
        int stp = metrics::block_sum_int(tp, per_warp);
        int sfp = metrics::block_sum_int(fp, per_warp);
        int sfn = metrics::block_sum_int(fn, per_warp);
        if (threadIdx.x == 0u)
        {
            float* a = acc + index + 4 * i;
            a[0] += (float)stp; a[1] += (float)sfp; a[2] += (float)(n - stp - sfp - sfn); a[3] += (float)sfn;
        }
    }
}
