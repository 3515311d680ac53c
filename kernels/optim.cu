// Optimizer steps over the flat parameter buffer, one fused pass each. The learning rate is read from
// hyper[lr_slot] and Adam's step t = counters[step_slot] + 1 on the device, so a captured training step
// replays correctly while the host changes neither; the caller advances the step counter afterwards.
#include "common.cuh"

namespace optim
{

// Keras Adam's step size at step t = counters[step_slot] + 1: lr sqrt(1 - b2^t) / (1 - b1^t), in double as the CPU
// backend computes it.
__device__ __forceinline__ float adam_alpha(const float* hyper, int lr_slot, const int* counters, int step_slot, float beta1, float beta2)
{
    double t = (double)(counters[step_slot] + 1);
    double lr = (double)hyper[lr_slot];
    return (float)(lr * sqrt(1.0 - pow((double)beta2, t)) / (1.0 - pow((double)beta1, t)));
}

} // namespace optim

// Keras Adam: alpha = optim::adam_alpha, then per element
// m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); w -= alpha m / (sqrt(v) + epsilon).
extern "C" __global__ void adam_step_f32(float* w, const float* g, float* m, float* v, int n, const float* hyper, int lr_slot,
                                         const int* counters, int step_slot, float beta1, float beta2, float epsilon)
{
    float alpha = optim::adam_alpha(hyper, lr_slot, counters, step_slot, beta1, beta2);
    float a1 = 1.0f - beta1, a2 = 1.0f - beta2;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i];
        float mi = m[i] + (gi - m[i]) * a1;
        float vi = v[i] + (gi * gi - v[i]) * a2;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i] - alpha * mi / (sqrtf(vi) + epsilon);
    }
}

// Keras SGD: w -= lr g without momentum; else vel = momentum vel - lr g and w += vel (plain) or
// w += momentum vel - lr g (Nesterov, with the updated vel). velocity is not touched without momentum.
extern "C" __global__ void sgd_step_f32(float* w, const float* g, float* velocity, int n, const float* hyper, int lr_slot, float momentum, int nesterov)
{
    float lr = hyper[lr_slot];
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i];
        if (momentum == 0.0f)
        {
            w[i] = w[i] + -lr * gi;
            continue;
        }
        float vi = momentum * velocity[i] - lr * gi;
        velocity[i] = vi;
        w[i] = w[i] + (nesterov != 0 ? momentum * vi - lr * gi : vi);
    }
}

// Keras RMSprop: v = rho v + (1 - rho) g^2; centered: a = rho a + (1 - rho) g, d = v - a^2 + epsilon, else
// d = v + epsilon; inc = lr g / sqrt(d); momentum > 0: m = momentum m + inc, w -= m; else w -= inc.
// mom is not touched without momentum, avg not unless centered.
extern "C" __global__ void rmsprop_step_f32(float* w, const float* g, float* velocity, float* mom, float* avg, int n, const float* hyper, int lr_slot,
                                            float rho, float momentum, float epsilon, int centered)
{
    float lr = hyper[lr_slot];
    float a = 1.0f - rho;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i];
        float vi = rho * velocity[i] + a * (gi * gi);
        velocity[i] = vi;
        float denominator;
        if (centered != 0)
        {
            float ai = rho * avg[i] + a * gi;
            avg[i] = ai;
            denominator = vi - ai * ai + epsilon;
        }
        else
            denominator = vi + epsilon;
        float increment = lr * gi / sqrtf(denominator);
        if (momentum > 0.0f)
        {
            float mi = momentum * mom[i] + increment;
            mom[i] = mi;
            w[i] = w[i] - mi;
        }
        else
            w[i] = w[i] - increment;
    }
}

// Keras Adagrad: acc += g^2; w -= lr g / sqrt(acc + epsilon).
extern "C" __global__ void adagrad_step_f32(float* w, const float* g, float* acc, int n, const float* hyper, int lr_slot, float epsilon)
{
    float lr = hyper[lr_slot];
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i];
        float ai = acc[i] + gi * gi;
        acc[i] = ai;
        w[i] = w[i] - lr * gi / sqrtf(ai + epsilon);
    }
}

// Keras decoupled weight decay (base_optimizer._apply_weight_decay): w = w - w wd lr.
extern "C" __global__ void decay_weights_f32(float* w, int n, const float* hyper, int lr_slot, float weight_decay)
{
    float lr = hyper[lr_slot];
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float wi = w[i];
        w[i] = wi - wi * weight_decay * lr;
    }
}

// Keras clipvalue: g = clip(g, -c, c); NaN stays NaN.
extern "C" __global__ void clip_values_f32(float* g, int n, float clip)
{
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float x = g[i];
        g[i] = x > clip ? clip : (x < -clip ? -clip : x);
    }
}

// The split squared norms below cut segment s = (offset, length) into chunks of chunk_len elements
// (ceil(length / chunk_len) of them, at least one, so an empty segment sums to 0) and keep chunk c's sum at
// partial[bases[s] + c]. bases[s] = the chunks of the segments before s, bases[count] = all of them; one thread
// counts them in index order (count is the number of trainable variables, a few to a few thousand).
extern "C" __global__ void segment_chunk_bases_i32(const int* segments, int count, int chunk_len, int* bases)
{
    if (blockIdx.x != 0u || threadIdx.x != 0u) return;
    int total = 0;
    for (int s = 0; s < count; ++s)
    {
        bases[s] = total;
        int length = segments[2 * s + 1];
        total += length > 0 ? (length + chunk_len - 1) / chunk_len : 1;
    }
    bases[count] = total;
}

// partial[bases[s] + c] = sum of g^2 over chunk c of segment s = blockIdx.y. Grid (chunk slots, segments): block
// x takes chunks blockIdx.x, blockIdx.x + gridDim.x, ... (the same trip count for the whole block); in a chunk,
// thread t adds elements t, t + blockDim.x, ... and the block's fixed tree adds the threads. The chunks are fixed
// by chunk_len, not by the grid, so every grid gives the same bits.
extern "C" __global__ void segment_chunk_squares_f32(const float* g, const int* segments, const int* bases, int chunk_len, float* partial)
{
    __shared__ float scratch[32];
    unsigned int offset = (unsigned int)segments[2 * blockIdx.y], length = (unsigned int)segments[2 * blockIdx.y + 1];
    unsigned int chunk = (unsigned int)chunk_len;
    unsigned int chunks = length > 0u ? (length + chunk - 1u) / chunk : 1u;
    for (unsigned int c = blockIdx.x; c < chunks; c += gridDim.x)
    {
        unsigned int first = c * chunk, end = min(first + chunk, length);
        float s = 0.0f;
        for (unsigned int i = first + threadIdx.x; i < end; i += blockDim.x)
        {
            float x = g[offset + i];
            s += x * x;
        }
        s = snet::group_sum(s, scratch);
        if (threadIdx.x == 0u) partial[bases[blockIdx.y] + c] = s;
    }
}

// sq[s] = the chunk sums of segment s added in chunk order (the fixed final pass); a thread per segment.
extern "C" __global__ void segment_sum_chunks_f32(const float* partial, const int* bases, int count, float* sq)
{
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int s = blockIdx.x * blockDim.x + threadIdx.x; s < (unsigned int)count; s += stride)
    {
        float total = 0.0f;
        for (int i = bases[s]; i < bases[s + 1]; ++i) total += partial[i];
        sq[s] = total;
    }
}

// Scales segment blockIdx.y of g. Per variable (Keras _clip_by_norm): g = g c / max(l2, c) with
// l2 = sqrt(sq) when sq > 0, else sq. Global (clip_by_global_norm): norm = sqrt(sum of sq over the
// count segments, in index order), g = g (c min(1/norm, 1/c) + (norm - norm)).
extern "C" __global__ void clip_norms_f32(float* g, const int* segments, int count, const float* sq, float clip, int global)
{
    unsigned int offset = (unsigned int)segments[2 * blockIdx.y], length = (unsigned int)segments[2 * blockIdx.y + 1];
    unsigned int stride = gridDim.x * blockDim.x;
    if (global != 0)
    {
        float total = 0.0f;
        for (int s = 0; s < count; ++s) total += sq[s];
        float norm = sqrtf(total);
        float scale = clip * snet::min_nan(1.0f / norm, 1.0f / clip) + (norm - norm);
        for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < length; i += stride)
            g[offset + i] = g[offset + i] * scale;
        return;
    }
    float l2sum = sq[blockIdx.y];
    float l2 = l2sum > 0.0f ? sqrtf(l2sum) : l2sum;
    float denominator = snet::max_nan(l2, clip);
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < length; i += stride)
        g[offset + i] = g[offset + i] * clip / denominator;
}

// Keras learning-rate schedules, one thread: hyper[lr_slot] = schedule(t), t = counters[step_slot] (the
// iterations before the update), in double and stored as float, as the CPU backend (DeviceSchedule.Formula).
// kind 0 exponential: init rate^p; 3 inverse time: init / (1 + rate p), p = t / decay_steps (floored when
// staircase); 1 piecewise: values[number of boundaries b with t > b]; 2 cosine: s = min(t, decay_steps),
// init ((1 - alpha) 0.5 (1 + cos(pi s / decay_steps)) + alpha); with warmup, s = min(t, decay + warmup) rises
// linearly from init to warmup_target while s < warmup_steps, then decays from warmup_target over s - warmup.
extern "C" __global__ void lr_schedule_f32(float* hyper, int lr_slot, const int* counters, int step_slot, int kind,
                                           double init, int decay_steps, double decay_rate, int staircase, double alpha,
                                           int has_warmup, double warmup_target, int warmup_steps,
                                           const int* boundaries, const float* values, int count)
{
    if (blockIdx.x != 0 || threadIdx.x != 0) return;
    double t = (double)counters[step_slot];
    double lr;
    if (kind == 1)
    {
        int i = 0;
        while (i < count && t > (double)boundaries[i]) i++;
        lr = (double)values[i];
    }
    else if (kind == 2)
    {
        double from = init;
        double d = (double)decay_steps;
        if (has_warmup == 0) t = fmin(t, d);
        else
        {
            t = fmin(t, d + (double)warmup_steps);
            from = warmup_target;
        }
        if (has_warmup != 0 && t < (double)warmup_steps)
            lr = (warmup_target - init) * (t / (double)warmup_steps) + init;
        else
        {
            if (has_warmup != 0) t = t - (double)warmup_steps;
            double cosine_decayed = 0.5 * (1.0 + cos(3.141592653589793 * (t / d)));
            lr = from * ((1.0 - alpha) * cosine_decayed + alpha);
        }
    }
    else
    {
        double p = t / (double)decay_steps;
        if (staircase != 0) p = floor(p);
        lr = kind == 0 ? init * pow(decay_rate, p) : init / (1.0 + decay_rate * p);
    }
    hyper[lr_slot] = (float)lr;
}

// Keras Nadam, part 1 (one thread): t = counters[step_slot] + 1, u_t = beta1 (1 - 0.5 * 0.96^t);
// hyper[u_slot] = (t == 1 ? 1 : hyper[u_slot]) * u_t, the running product u_1...u_t (Keras u_product).
extern "C" __global__ void nadam_u_product_f32(float* hyper, int u_slot, const int* counters, int step_slot, float beta1)
{
    if (blockIdx.x != 0 || threadIdx.x != 0) return;
    double t = (double)(counters[step_slot] + 1);
    double ut = (double)beta1 * (1.0 - 0.5 * pow(0.96, t));
    hyper[u_slot] = (float)((t == 1.0 ? 1.0 : (double)hyper[u_slot]) * ut);
}

// Keras Nadam, part 2: with P = hyper[u_slot] (after part 1) and u_t, u_t+1 as above,
// m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); m_hat = u_t+1 m / (1 - P u_t+1) + (1 - u_t) g / (1 - P);
// w -= m_hat lr / (sqrt(v / (1 - b2^t)) + epsilon). Coefficients in double, rounded to float, as the CPU.
extern "C" __global__ void nadam_step_f32(float* w, const float* g, float* m, float* v, int n, const float* hyper, int lr_slot, int u_slot,
                                          const int* counters, int step_slot, float beta1, float beta2, float epsilon)
{
    double t = (double)(counters[step_slot] + 1);
    double ut = (double)beta1 * (1.0 - 0.5 * pow(0.96, t));
    double ut1 = (double)beta1 * (1.0 - 0.5 * pow(0.96, t + 1.0));
    float product = hyper[u_slot];
    float cm = (float)(ut1 / (1.0 - (double)product * ut1));
    float cg = (float)((1.0 - ut) / (1.0 - (double)product));
    float d2 = (float)(1.0 - pow((double)beta2, t));
    float lr = hyper[lr_slot];
    float a1 = 1.0f - beta1, a2 = 1.0f - beta2;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i];
        float mi = m[i] + (gi - m[i]) * a1;
        float vi = v[i] + (gi * gi - v[i]) * a2;
        m[i] = mi;
        v[i] = vi;
        float m_hat = cm * mi + cg * gi;
        w[i] = w[i] - m_hat * lr / (sqrtf(vi / d2) + epsilon);
    }
}

// Keras Adamax: step = lr / (1 - b1^t) (in double, as the CPU backend), then per element
// m += (g - m)(1 - b1); u = max(b2 u, |g|); w -= step m / (u + epsilon).
extern "C" __global__ void adamax_step_f32(float* w, const float* g, float* m, float* u, int n, const float* hyper, int lr_slot,
                                           const int* counters, int step_slot, float beta1, float beta2, float epsilon)
{
    double t = (double)(counters[step_slot] + 1);
    float step = (float)((double)hyper[lr_slot] / (1.0 - pow((double)beta1, t)));
    float a1 = 1.0f - beta1;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i];
        float mi = m[i] + (gi - m[i]) * a1;
        float ui = fmaxf(beta2 * u[i], fabsf(gi));
        m[i] = mi;
        u[i] = ui;
        w[i] = w[i] - step * mi / (ui + epsilon);
    }
}

// Keras Lion: w -= lr sign(b1 m + (1 - b1) g); m = b2 m + (1 - b2) g (sign(0) = 0).
extern "C" __global__ void lion_step_f32(float* w, const float* g, float* m, int n, const float* hyper, int lr_slot, float beta1, float beta2)
{
    float lr = hyper[lr_slot];
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i], mi = m[i];
        float c = mi * beta1 + gi * (1.0f - beta1);
        float s = c > 0.0f ? 1.0f : (c < 0.0f ? -1.0f : c);
        w[i] = w[i] - lr * s;
        m[i] = mi * beta2 + gi * (1.0f - beta2);
    }
}

// Keras Adadelta: a = rho a + (1 - rho) g^2; d = -sqrt(b + eps) / sqrt(a + eps) g; b = rho b + (1 - rho) d^2; w += lr d.
extern "C" __global__ void adadelta_step_f32(float* w, const float* g, float* acc_grad, float* acc_delta, int n, const float* hyper, int lr_slot, float rho, float epsilon)
{
    float lr = hyper[lr_slot];
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i];
        float ai = rho * acc_grad[i] + (1.0f - rho) * gi * gi;
        float d = -sqrtf(acc_delta[i] + epsilon) / sqrtf(ai + epsilon) * gi;
        acc_grad[i] = ai;
        acc_delta[i] = rho * acc_delta[i] + (1.0f - rho) * d * d;
        w[i] = w[i] + lr * d;
    }
}

// Keras Adam with amsgrad: the adam_step_f32 moments, then v_hat = max(v_hat, v) and w -= alpha m / (sqrt(v_hat) + epsilon).
extern "C" __global__ void adam_amsgrad_step_f32(float* w, const float* g, float* m, float* v, float* v_hat, int n, const float* hyper, int lr_slot,
                                                 const int* counters, int step_slot, float beta1, float beta2, float epsilon)
{
    float alpha = optim::adam_alpha(hyper, lr_slot, counters, step_slot, beta1, beta2);
    float a1 = 1.0f - beta1, a2 = 1.0f - beta2;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i];
        float mi = m[i] + (gi - m[i]) * a1;
        float vi = v[i] + (gi * gi - v[i]) * a2;
        float hi = fmaxf(v_hat[i], vi);
        m[i] = mi;
        v[i] = vi;
        v_hat[i] = hi;
        w[i] = w[i] - alpha * mi / (sqrtf(hi) + epsilon);
    }
}

// Keras Ftrl (power = -learning_rate_power, l2_reg = l2 + beta / (2 lr), shrink = 2 l2_shrinkage):
// n' = n + g^2; z += g + shrink w - (n'^power - n^power) / lr w; w = (clip(z, -l1, l1) - z) / (n'^power / lr + 2 l2_reg); n = n'.
extern "C" __global__ void ftrl_step_f32(float* w, const float* g, float* accum, float* linear, int n, const float* hyper, int lr_slot,
                                         float power, float l1, float l2, float l2_shrinkage, float beta)
{
    float lr = hyper[lr_slot];
    float l2_reg = l2 + beta / (2.0f * lr), shrink = 2.0f * l2_shrinkage;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float gi = g[i], wi = w[i], ni = accum[i];
        float new_n = ni + gi * gi;
        float pow_new = powf(new_n, power), pow_old = powf(ni, power);
        float zi = linear[i] + (gi + shrink * wi - (pow_new - pow_old) / lr * wi);
        float quadratic = pow_new / lr + 2.0f * l2_reg;
        float clipped = fminf(fmaxf(zi, -l1), l1);
        linear[i] = zi;
        w[i] = (clipped - zi) / quadratic;
        accum[i] = new_n;
    }
}

// Keras's optimizer EMA after a step (use_ema): t = counters[step_slot] (iterations before the increment);
// m = t == 0 ? 0 : momentum; average = m * average + (1 - m) * w; when overwrite_frequency > 0 and (t + 1) is a
// multiple of it, w = average (Keras's _overwrite_model_variables_with_average_value).
extern "C" __global__ void ema_update_f32(float* w, float* average, int n, const int* counters, int step_slot, float momentum, int overwrite_frequency)
{
    int t = counters[step_slot];
    float m = t == 0 ? 0.0f : momentum, keep = 1.0f - m;
    bool overwrite = overwrite_frequency > 0 && (t + 1) % overwrite_frequency == 0;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned int)n; i += stride)
    {
        float next = m * average[i] + keep * w[i];
        average[i] = next;
        if (overwrite) w[i] = next;
    }
}
