// Per-row losses of Sequential.Net/Backends/LossKind (mean or sum over the row's columns, Keras clipping
// of probabilities at 1e-7) and their gradients, plus the per-block partial counts of correct rows behind
// CountCorrect. The kind arguments are the C# enums' values:
//   LossKind:     0 MSE, 1 MAE, 2 BCE, 3 BCE from logits, 4 categorical CE, 5 sparse categorical CE, 6 Huber,
//                 7 MAPE, 8 MSLE, 9 log_cosh, 10 poisson, 11 hinge, 12 squared_hinge, 13 kl_divergence,
//                 14 categorical_hinge, 15 cosine_similarity, 16 binary focal CE, 17 binary focal CE from logits;
// param: Huber's delta, the binary losses' label smoothing; gamma, alpha, balance: the focal kinds' LossParams.
//   AccuracyKind: 0 binary, 1 categorical, 2 sparse categorical.
// Row kernels use the launch shape of common.cuh (a group of blockDim.x threads per row).
#include "common.cuh"

namespace loss
{

enum Kind { MSE = 0, MAE = 1, BCE = 2, BCE_LOGITS = 3, CCE = 4, SPARSE_CCE = 5, HUBER = 6,
            MAPE = 7, MSLE = 8, LOG_COSH = 9, POISSON = 10, HINGE = 11, SQUARED_HINGE = 12, KLD = 13,
            CATEGORICAL_HINGE = 14, COSINE = 15, FOCAL = 16, FOCAL_LOGITS = 17 };

// The focal kinds' parameters besides the label smoothing (Sequential.Net/Backends/LossParams).
struct Focal { float gamma, alpha; int balance; };

__device__ __forceinline__ bool is_row_kind(int kind) { return kind == CATEGORICAL_HINGE || kind == COSINE; }

__device__ __forceinline__ bool is_categorical(int kind) { return kind == CCE || kind == SPARSE_CCE; }

// Kinds whose row value is the sum of the terms rather than their mean.
__device__ __forceinline__ bool sums_row(int kind) { return is_categorical(kind) || kind == KLD; }

// Binary targets smoothed towards 1/2 (label_smoothing = param); hinge targets with 0 read as -1.
__device__ __forceinline__ float smooth(float y, float s) { return s == 0.0f ? y : y * (1.0f - s) + 0.5f * s; }
__device__ __forceinline__ float hinge_target(float y) { return y == 0.0f ? -1.0f : y; }

// log(1 + e^z) without overflow.
__device__ __forceinline__ float softplus(float z) { return fmaxf(z, 0.0f) + logf(1.0f + expf(-fabsf(z))); }

__device__ __forceinline__ float sign(float d) { return d > 0.0f ? 1.0f : (d < 0.0f ? -1.0f : 0.0f); }

__device__ __forceinline__ float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

// Keras binary_focal_crossentropy of probability p: w (1 - p_t)^gamma bce, p_t = t p + (1 - t)(1 - p) on the
// unclipped p, bce on p clipped to [eps, 1 - eps]; *grad = w (f' bce + f bce'), f' = gamma (1 - p_t)^(gamma-1) (1 - 2t).
__device__ __forceinline__ float focal(float p, float y, float s, Focal fc, float* grad)
{
    const float eps = 1e-7f;
    float t = smooth(y, s);
    float c = snet::clip_probability(p);
    float bce = -(t * logf(c) + (1.0f - t) * logf(1.0f - c));
    float dbce = p < eps || p > 1.0f - eps ? 0.0f : -t / p + (1.0f - t) / (1.0f - p);
    float q = 1.0f - (t * p + (1.0f - t) * (1.0f - p));
    float f = powf(q, fc.gamma);
    float df = fc.gamma == 0.0f ? 0.0f : fc.gamma * powf(q, fc.gamma - 1.0f) * (1.0f - 2.0f * t);
    float w = fc.balance ? t * fc.alpha + (1.0f - t) * (1.0f - fc.alpha) : 1.0f;
    *grad = w * (df * bce + f * dbce);
    return w * f * bce;
}

// Target of class j in row r: a class index per row for the sparse kind, else the (rows, cols) matrix.
__device__ __forceinline__ float target(const float* t, unsigned int r, int j, int cols, int kind)
{
    return kind == SPARSE_CCE ? ((int)t[r] == j ? 1.0f : 0.0f) : t[(unsigned long long)r * (unsigned int)cols + (unsigned int)j];
}

// The loss term of one element (x prediction, y target); sum_p only for the categorical kinds.
__device__ __forceinline__ float term(int kind, float x, float y, float param, float sum_p, Focal fc)
{
    float d = x - y, unused;
    switch (kind)
    {
        case MSE: return d * d;
        case MAE: return fabsf(d);
        case HUBER: return fabsf(d) <= param ? 0.5f * d * d : param * (fabsf(d) - 0.5f * param);
        case BCE: y = smooth(y, param); return -(y * logf(snet::clip_probability(x)) + (1.0f - y) * logf(1.0f - snet::clip_probability(x)));
        case BCE_LOGITS: y = smooth(y, param); return fmaxf(x, 0.0f) - x * y + logf(1.0f + expf(-fabsf(x)));
        case MAPE: return 100.0f * fabsf(d) / fmaxf(fabsf(y), 1e-7f);
        case MSLE: { float l = logf(fmaxf(x, 1e-7f) + 1.0f) - logf(fmaxf(y, 1e-7f) + 1.0f); return l * l; }
        case LOG_COSH: return d + softplus(-2.0f * d) - 0.693147180559945f;
        case POISSON: return x - y * logf(x + 1e-7f);
        case HINGE: return fmaxf(1.0f - hinge_target(y) * x, 0.0f);
        case SQUARED_HINGE: { float m = fmaxf(1.0f - hinge_target(y) * x, 0.0f); return m * m; }
        case KLD: { float yc = fminf(fmaxf(y, 1e-7f), 1.0f); return yc * logf(yc / fminf(fmaxf(x, 1e-7f), 1.0f)); }
        case FOCAL: return focal(x, y, param, fc, &unused);
        case FOCAL_LOGITS: return focal(sigmoid(x), y, param, fc, &unused);
        default: return y == 0.0f ? 0.0f : -y * logf(snet::clip_probability(x / sum_p));
    }
}

// d term / d x of the mean kinds, before the 1/cols and dloss factors.
__device__ __forceinline__ float term_grad(int kind, float x, float y, float param, Focal fc)
{
    const float eps = 1e-7f;
    float d = x - y;
    switch (kind)
    {
        case MSE: return 2.0f * d;
        case MAE: return sign(d);
        case HUBER: return fabsf(d) <= param ? d : param * sign(d);
        case BCE: y = smooth(y, param); return x < eps || x > 1.0f - eps ? 0.0f : -y / x + (1.0f - y) / (1.0f - x);
        case MAPE: return 100.0f * sign(d) / fmaxf(fabsf(y), eps);
        case MSLE: return x > eps ? 2.0f * (logf(x + 1.0f) - logf(fmaxf(y, eps) + 1.0f)) / (x + 1.0f) : 0.0f;
        case LOG_COSH: return tanhf(d);
        case POISSON: return 1.0f - y / (x + eps);
        case HINGE: { float t = hinge_target(y); return 1.0f - t * x > 0.0f ? -t : 0.0f; }
        case SQUARED_HINGE: { float t = hinge_target(y), m = 1.0f - t * x; return m > 0.0f ? -2.0f * t * m : 0.0f; }
        case KLD: return x >= eps && x <= 1.0f ? -fminf(fmaxf(y, eps), 1.0f) / x : 0.0f;
        case FOCAL: { float g; focal(x, y, param, fc, &g); return g; }
        case FOCAL_LOGITS: { float sx = sigmoid(x), g; focal(sx, y, param, fc, &g); return g * sx * (1.0f - sx); }
        default: return 1.0f / (1.0f + expf(-x)) - smooth(y, param);   // BCE from logits: sigmoid(x) - y
    }
}

__device__ __forceinline__ bool unclipped(float q)
{
    const float eps = 1e-7f;
    return q >= eps && q <= 1.0f - eps;
}

struct MinOp
{
    __device__ __forceinline__ float operator()(float a, float b) const { return fminf(a, b); }
};

// Row sums and maxima of the row kinds, the same on every thread of the row's group.
struct RowStats { float a, b, c; };

// categorical_hinge: a = pos = sum t p, b = neg = max (1 - t) p, c = first index of that maximum (as a float,
// exact below 2^24 columns). cosine_similarity: a = sum t p, b = sum t^2, c = sum p^2.
__device__ __forceinline__ RowStats row_stats(int kind, const float* pr, const float* tr, int len, float* scratch)
{
    float a = 0.0f, b = kind == CATEGORICAL_HINGE ? SNET_NEG_INF : 0.0f, c = 0.0f;
    for (int j = (int)threadIdx.x; j < len; j += (int)blockDim.x)
    {
        a += tr[j] * pr[j];
        if (kind == CATEGORICAL_HINGE) b = snet::max_nan(b, (1.0f - tr[j]) * pr[j]);
        else { b += tr[j] * tr[j]; c += pr[j] * pr[j]; }
    }
    a = snet::group_sum(a, scratch);
    if (kind == COSINE) return RowStats{ a, snet::group_sum(b, scratch), snet::group_sum(c, scratch) };
    b = snet::group_max(b, scratch);
    float first = 3.0e38f;
    for (int j = (int)threadIdx.x; j < len; j += (int)blockDim.x)
        if ((1.0f - tr[j]) * pr[j] == b) { first = (float)j; break; }
    c = snet::group_reduce(first, scratch, MinOp(), 3.0e38f);
    return RowStats{ a, b, c };
}

__device__ __forceinline__ float row_value(int kind, RowStats st)
{
    if (kind == CATEGORICAL_HINGE) return fmaxf(st.b - st.a + 1.0f, 0.0f);
    return -st.a / (sqrtf(fmaxf(st.b, 1e-7f)) * sqrtf(fmaxf(st.c, 1e-7f)));
}

// d row / d p_j. Hinge: -t_j + [j = argmax](1 - t_j) while active. Cosine: -t_j/(n_t n_p) + a p_j/(n_t n_p^3)
// (the second term only where sum p^2 > eps).
__device__ __forceinline__ float row_grad(int kind, RowStats st, float p, float t, int j)
{
    if (kind == CATEGORICAL_HINGE)
        return st.b - st.a + 1.0f > 0.0f ? -t + (j == (int)st.c ? 1.0f - t : 0.0f) : 0.0f;
    float nt = sqrtf(fmaxf(st.b, 1e-7f)), np = sqrtf(fmaxf(st.c, 1e-7f));
    float inv = 1.0f / (nt * np);
    float along = st.c > 1e-7f ? st.a * inv / (np * np) : 0.0f;
    return -t * inv + along * p;
}

// Warp-wide argmax of a row, first index of the maximum (as the CPU's strict ">" scan); all lanes agree.
__device__ __forceinline__ int warp_argmax(const float* x, int cols)
{
    unsigned int lane = threadIdx.x & 31u;
    float best = SNET_NEG_INF;
    int index = 0x7fffffff;
    for (int j = (int)lane; j < cols; j += 32)
        if (index == 0x7fffffff || x[j] > best) { best = x[j]; index = j; }
    for (int offset = 16; offset > 0; offset >>= 1)
    {
        float other = __shfl_xor_sync(0xffffffffu, best, offset);
        int other_index = __shfl_xor_sync(0xffffffffu, index, offset);
        if (other > best || (other == best && other_index < index)) { best = other; index = other_index; }
    }
    return index;
}

// 1 or 0 for the categorical kinds, the fraction of matching elements for binary accuracy.
__device__ __forceinline__ float row_correct(int kind, const float* p, const float* t, unsigned int row, int cols, float threshold)
{
    const float* pr = p + (unsigned long long)row * (unsigned int)cols;
    if (kind == 2) return warp_argmax(pr, cols) == (int)t[row] ? 1.0f : 0.0f;
    const float* tr = t + (unsigned long long)row * (unsigned int)cols;
    if (kind == 1) return warp_argmax(pr, cols) == warp_argmax(tr, cols) ? 1.0f : 0.0f;
    int hits = 0;
    for (int j = (int)(threadIdx.x & 31u); j < cols; j += 32) hits += (pr[j] > threshold) == (tr[j] > 0.5f) ? 1 : 0;
    return (float)snet::warp_sum_int(hits) / (float)cols;
}

} // namespace loss

// loss(rows): the mean over the row's columns of the kind's term (the sum for the categorical kinds and KLD).
extern "C" __global__ void loss_fwd_f32(int kind, const float* p, const float* t, float* out, int rows, int cols, float param,
                                        float gamma, float alpha, int balance)
{
    __shared__ float scratch[32 * 32];
    bool categorical = loss::is_categorical(kind);
    loss::Focal fc = { gamma, alpha, balance };
    for (unsigned int base = blockIdx.x * blockDim.y; base < (unsigned int)rows; base += gridDim.x * blockDim.y)
    {
        snet::GroupRow at(base, rows, cols);
        const float* pr = p + at.offset;
        if (loss::is_row_kind(kind))
        {
            const float* tr = t + at.offset;
            loss::RowStats st = loss::row_stats(kind, pr, tr, at.len, scratch);
            if (at.active && threadIdx.x == 0u) out[at.row] = loss::row_value(kind, st);
            continue;
        }
        float sum_p = 0.0f;
        if (categorical)
        {
            for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x) sum_p += pr[j];
            sum_p = snet::group_sum(sum_p, scratch);
        }
        float s = 0.0f;
        for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x)
            s += loss::term(kind, pr[j], loss::target(t, at.row, j, cols, kind), param, sum_p, fc);
        s = snet::group_sum(s, scratch);
        if (at.active && threadIdx.x == 0u) out[at.row] = loss::sums_row(kind) ? s : s / (float)cols;
    }
}

// dp(rows, cols) = d loss[row] / d p * dloss[row]. Categorical: L = -sum_i t_i log(clip(p_i / S)), S = sum p,
// so dL/dp_j = -u_j t_j / p_j + sum_i u_i t_i / S, u_i = 1 where p_i / S is not clipped.
extern "C" __global__ void loss_bwd_f32(int kind, const float* p, const float* t, const float* dloss, float* dp, int rows, int cols, float param,
                                        float gamma, float alpha, int balance)
{
    __shared__ float scratch[32 * 32];
    bool categorical = loss::is_categorical(kind);
    loss::Focal fc = { gamma, alpha, balance };
    for (unsigned int base = blockIdx.x * blockDim.y; base < (unsigned int)rows; base += gridDim.x * blockDim.y)
    {
        snet::GroupRow at(base, rows, cols);
        const float* pr = p + at.offset;
        float* dr = dp + at.offset;
        float g = at.active ? dloss[at.row] : 0.0f;
        if (loss::is_row_kind(kind))
        {
            const float* tr = t + at.offset;
            loss::RowStats st = loss::row_stats(kind, pr, tr, at.len, scratch);
            for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x) dr[j] = g * loss::row_grad(kind, st, pr[j], tr[j], j);
        }
        else if (categorical)
        {
            float sum_p = 0.0f, sum_tu = 0.0f;
            for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x) sum_p += pr[j];
            sum_p = snet::group_sum(sum_p, scratch);
            for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x)
                if (loss::unclipped(pr[j] / sum_p)) sum_tu += loss::target(t, at.row, j, cols, kind);
            sum_tu = snet::group_sum(sum_tu, scratch);
            for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x)
            {
                float y = loss::target(t, at.row, j, cols, kind);
                float own = loss::unclipped(pr[j] / sum_p) && y != 0.0f ? -y / pr[j] : 0.0f;
                dr[j] = g * (own + sum_tu / sum_p);
            }
        }
        else
        {
            float inv = loss::sums_row(kind) ? g : g / (float)cols;
            for (int j = (int)threadIdx.x; j < at.len; j += (int)blockDim.x)
                dr[j] = inv * loss::term_grad(kind, pr[j], loss::target(t, at.row, j, cols, kind), param, fc);
        }
    }
}

// partial[blockIdx.x] = sum of w[row] * (1 when the row is correct; the fraction of matching elements per row
// for binary accuracy) over this block's rows; a null w weighs every row 1 (the number of correct rows). One warp per
// row: warp v of block b takes rows b * warps + v + k * stride. Each warp adds its rows in order and thread 0
// adds the warps in order, so the sum is repeatable.
extern "C" __global__ void count_correct_partial_f32(int kind, const float* p, const float* t, const float* w, float* partial, int rows, int cols, float threshold)
{
    __shared__ float per_warp[32];
    unsigned int lane = threadIdx.x & 31u, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    float correct = 0.0f;
    for (unsigned int row = blockIdx.x * warps + warp; row < (unsigned int)rows; row += gridDim.x * warps)
        correct += (w ? w[row] : 1.0f) * loss::row_correct(kind, p, t, row, cols, threshold);
    if (lane == 0u) per_warp[warp] = correct;
    __syncthreads();
    if (threadIdx.x == 0u)
    {
        float s = 0.0f;
        for (unsigned int i = 0; i < warps; ++i) s += per_warp[i];
        partial[blockIdx.x] = s;
    }
}
