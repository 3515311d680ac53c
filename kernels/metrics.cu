// Counts behind the Keras metrics that are not per-sample means of a loss (CountTopK, CountThresholds),
// weighted by w per row (a null w counts every row 1: Compile(metrics:), which Keras does not weigh), and the
// excess weight Σ (w − 1) of the weighted means (AccumulateExcessWeight).
// Each sum runs in a fixed order for a given launch shape (per-thread strides, a shuffle tree per warp,
// the warps in order), so a replay gives the same bits. Unweighted, every partial sum is an integer below
// 2^24, so the counts are exact and equal the CPU's. Launch shape: blockDim.x a multiple of 32.
#include "common.cuh"

namespace metrics
{

// Sums v over the block; the result is valid in thread 0. Every thread of the block must call it.
__device__ __forceinline__ float block_sum(float v, float* per_warp)
{
    unsigned int lane = threadIdx.x & 31u, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = snet::warp_reduce(v, snet::SumOp());
    __syncthreads();
    if (lane == 0u) per_warp[warp] = v;
    __syncthreads();
    float s = 0.0f;
    if (threadIdx.x == 0u)
        for (unsigned int i = 0; i < warps; ++i) s += per_warp[i];
    return s;
}

// Threshold i of count: first, i / (count - 1) for the interior ones, last (Keras's AUC placement).
__device__ __forceinline__ float threshold_at(int i, int count, float first, float last)
{
    if (i == 0) return first;
    if (i == count - 1) return last;
    return (float)((double)i / (double)(count - 1));
}

// log(1 + e^x) without overflow (as CpuBackend.Softplus).
__device__ __forceinline__ float softplus(float x)
{
    return fmaxf(x, 0.0f) + logf(1.0f + expf(-fabsf(x)));
}

// One row's regression-metric value (RowMetricKind: 0 squared error, 1 absolute percentage error, 2 squared
// log error, 3 cosine similarity, 4 log cosh), the columns summed in order as the CPU backend does.
__device__ float row_metric(int kind, const float* p, const float* t, int cols)
{
    const float eps = 1e-7f;
    float s = 0.0f, tt = 0.0f, pp = 0.0f;
    for (int j = 0; j < cols; ++j)
    {
        float d = p[j] - t[j];
        if (kind == 0) s += d * d;
        else if (kind == 1) s += fabsf(d / fmaxf(fabsf(t[j]), eps));
        else if (kind == 2)
        {
            float l = logf(fmaxf(p[j], eps) + 1.0f) - logf(fmaxf(t[j], eps) + 1.0f);
            s += l * l;
        }
        else if (kind == 3) { s += t[j] * p[j]; tt += t[j] * t[j]; pp += p[j] * p[j]; }
        else s += d + softplus(-2.0f * d) - 0.6931472f;     // log 2 in float32
    }
    if (kind == 1) return 100.0f * (s / (float)cols);
    if (kind == 3) return s / (sqrtf(fmaxf(tt, eps)) * sqrtf(fmaxf(pp, eps)));
    return s / (float)cols;
}

// Whether row r's target class is in the top k of its scores (in_top_k: fewer than k classes score strictly
// higher; a non-finite score or a class index outside [0, cols) never counts). sparse: t holds a class index
// per row, else a one-hot row (its argmax).
__device__ __forceinline__ bool in_top_k(const float* p, const float* t, unsigned int r, int cols, int k, int sparse)
{
    const float* pr = p + (unsigned long long)r * (unsigned int)cols;
    int target = 0;
    if (sparse) target = (int)t[r];
    else
    {
        const float* tr = t + (unsigned long long)r * (unsigned int)cols;
        for (int j = 1; j < cols; ++j) if (tr[j] > tr[target]) target = j;
    }
    if (target < 0 || target >= cols) return false;
    float score = pr[target];
    if (!(score - score == 0.0f)) return false;            // NaN or infinite
    int higher = 0;
    for (int j = 0; j < cols; ++j) higher += pr[j] > score ? 1 : 0;
    return higher < k;
}

// Index of the first largest element of x[0..n) (as CpuBackend.ArgMax).
__device__ __forceinline__ int argmax(const float* x, int n)
{
    int best = 0;
    for (int j = 1; j < n; ++j) if (x[j] > x[best]) best = j;
    return best;
}

} // namespace metrics

// values[r] = row_metric(kind, row r of p, row r of t) for the rows of (rows, cols): a thread per row.
extern "C" __global__ void row_metric_f32(int kind, const float* p, const float* t, float* values, int rows, int cols)
{
    for (unsigned int r = blockIdx.x * blockDim.x + threadIdx.x; r < (unsigned int)rows; r += gridDim.x * blockDim.x)
    {
        unsigned long long offset = (unsigned long long)r * (unsigned int)cols;
        values[r] = metrics::row_metric(kind, p + offset, t + offset, cols);
    }
}

// The row-split top-k count: chunk c = rows [c * chunk_rows, (c + 1) * chunk_rows) of the batch; partial[c] =
// the sum of w[r] (or the count) of its rows whose target is in the top k, as metrics::in_top_k decides. Blocks
// take chunks blockIdx.x, blockIdx.x + gridDim.x, ...; in a chunk thread t takes rows t, t + blockDim.x, ...
// and the warps meet in a fixed order. The chunks are fixed by chunk_rows, so every grid gives the same bits.
extern "C" __global__ void count_top_k_chunks_f32(const float* p, const float* t, const float* w, float* partial, int rows, int cols, int k, int sparse, int chunk_rows)
{
    __shared__ float per_warp[32];
    unsigned int chunk = (unsigned int)chunk_rows;
    unsigned int chunks = ((unsigned int)rows + chunk - 1u) / chunk;
    for (unsigned int c = blockIdx.x; c < chunks; c += gridDim.x)   // the same trip count for the whole block
    {
        unsigned int first = c * chunk, end = min(first + chunk, (unsigned int)rows);
        float hits = 0.0f;
        for (unsigned int r = first + threadIdx.x; r < end; r += blockDim.x)
            if (metrics::in_top_k(p, t, r, cols, k, sparse)) hits += w ? w[r] : 1.0f;
        float total = metrics::block_sum(hits, per_warp);
        if (threadIdx.x == 0u) partial[c] = total;
        __syncthreads();   // block_sum's per_warp is read by thread 0 above before the next chunk writes it
    }
}

// acc[index] += partial[0] + partial[1] + ... + partial[chunks - 1], in that order (one thread).
extern "C" __global__ void add_chunks_f32(const float* partial, int chunks, float* acc, int index)
{
    if (blockIdx.x != 0u || threadIdx.x != 0u) return;
    float s = 0.0f;
    for (int c = 0; c < chunks; ++c) s += partial[c];
    acc[index] += s;
}

// One block per threshold i (grid-stride over thresholds). For the n elements (rows of cols), element e
// weighs w[e / cols], is predicted positive when p > threshold and actually positive when t != 0;
// acc[index + 4 i + {0, 1, 2, 3}] += the weight sums of TP, FP, TN, FN.
extern "C" __global__ void count_thresholds_f32(const float* p, const float* t, const float* w, float* acc, int index, int n, int cols, int count, float first, float last)
{
    __shared__ float per_warp[32];
    for (int i = blockIdx.x; i < count; i += gridDim.x)
    {
        float threshold = metrics::threshold_at(i, count, first, last);
        float tp = 0.0f, fp = 0.0f, tn = 0.0f, fn = 0.0f;
        for (unsigned int e = threadIdx.x; e < (unsigned int)n; e += blockDim.x)
        {
            bool predicted = p[e] > threshold, actual = t[e] != 0.0f;
            float we = w ? w[e / (unsigned int)cols] : 1.0f;
            if (predicted) { if (actual) tp += we; else fp += we; }
            else if (actual) fn += we;
            else tn += we;
        }
        float stp = metrics::block_sum(tp, per_warp);
        float sfp = metrics::block_sum(fp, per_warp);
        float stn = metrics::block_sum(tn, per_warp);
        float sfn = metrics::block_sum(fn, per_warp);
        if (threadIdx.x == 0u)
        {
            float* a = acc + index + 4 * i;
            a[0] += stp; a[1] += sfp; a[2] += stn; a[3] += sfn;
        }
    }
}

// One block. acc[index] += sum of (w[i] - 1) over the n weights: exactly 0 when every weight is 1.
extern "C" __global__ void accumulate_excess_weight_f32(const float* w, float* acc, int index, int n)
{
    __shared__ float per_warp[32];
    float excess = 0.0f;
    for (unsigned int i = threadIdx.x; i < (unsigned int)n; i += blockDim.x) excess += w[i] - 1.0f;
    float total = metrics::block_sum(excess, per_warp);
    if (threadIdx.x == 0u) acc[index] += total;
}

// Confusion matrix of class ids (MeanIoU): a thread per true class c scans the items in order and adds each
// item of true class c to acc[index + c * classes + predicted], so every cell sums its items in the CPU's order.
// sparse_pred: every element of p is an item (its class id; the true class is the same element of t); else each
// row is an item predicting its argmax, true class t[row] (sparse_target) or the argmax of t's row. Weights are
// per row (null: 1). Classes outside [0, classes) and the ignored class count nowhere.
extern "C" __global__ void count_confusion_matrix_f32(const float* p, const float* t, const float* w, float* acc, int index,
    int rows, int cols, int classes, int sparse_pred, int sparse_target, int ignore_class)
{
    int items = sparse_pred ? rows * cols : rows;
    for (int c = blockIdx.x * blockDim.x + threadIdx.x; c < classes; c += gridDim.x * blockDim.x)
    {
        if (c == ignore_class) continue;
        float* a = acc + index + (long long)c * classes;
        for (int i = 0; i < items; ++i)
        {
            int actual = sparse_pred || sparse_target ? (int)t[i] : metrics::argmax(t + (unsigned long long)i * (unsigned int)cols, cols);
            if (actual != c) continue;
            int predicted = sparse_pred ? (int)p[i] : metrics::argmax(p + (unsigned long long)i * (unsigned int)cols, cols);
            if (predicted < 0 || predicted >= classes) continue;
            a[predicted] += w ? w[sparse_pred ? i / cols : i] : 1.0f;
        }
    }
}

// ---- per-class sums of F-beta and R² (ClassStatKind: 0 F-beta with a threshold, 1 F-beta on the row's top score, 2 R²)

namespace metrics
{

// The row's largest value, scanning in order with ">" (as CpuBackend.RowTop).
__device__ __forceinline__ float row_top(const float* x, int n)
{
    float top = x[0];
    for (int j = 1; j < n; ++j) if (x[j] > top) top = x[j];
    return top;
}

} // namespace metrics

// A thread per column c of (rows, cols) scans the rows in order (so every sum adds its terms in the CPU's order,
// no atomics) and adds its four sums to acc[index + 4c .. 4c + 3]. w: a weight per row, or null (1).
// F-beta: y = 1 when p > threshold (kind 0) or p >= the row's top and |p| > 1e-9 (kind 1); sums of w·y·t,
// w·y·(1 − t), w·(1 − y)·t, w·t. R² (kind 2): sums of w·t, t·(w·t), w·(t − p)², w.
extern "C" __global__ void count_class_stats_f32(int kind, const float* p, const float* t, const float* w, float* acc, int index,
    int rows, int cols, float threshold)
{
    for (int c = blockIdx.x * blockDim.x + threadIdx.x; c < cols; c += gridDim.x * blockDim.x)
    {
        float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
        for (int r = 0; r < rows; ++r)
        {
            const float* pr = p + (unsigned long long)r * (unsigned int)cols;
            float pv = pr[c], tv = t[(unsigned long long)r * (unsigned int)cols + c], wv = w ? w[r] : 1.0f;
            if (kind == 2)
            {
                float wt = tv * wv, d = tv - pv;
                s0 += wt; s1 += tv * wt; s2 += d * d * wv; s3 += wv;
                continue;
            }
            bool on = kind == 0 ? pv > threshold : (pv >= metrics::row_top(pr, cols) && fabsf(pv) > 1e-9f);
            float yp = on ? 1.0f : 0.0f;
            s0 += yp * tv * wv; s1 += yp * (1.0f - tv) * wv; s2 += (1.0f - yp) * tv * wv; s3 += tv * wv;
        }
        float* a = acc + index + 4 * c;
        a[0] += s0; a[1] += s1; a[2] += s2; a[3] += s3;
    }
}
