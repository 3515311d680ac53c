// Optimizer steps over the flat parameter buffer, one fused pass each. The learning rate is read from
// hyper[lr_slot] and Adam's step t = counters[step_slot] + 1 on the device, so a captured training step
// replays correctly while the host changes neither; the caller advances the step counter afterwards.
#include "common.cuh"

// Keras Adam: alpha = lr sqrt(1 - b2^t) / (1 - b1^t) (in double, as the CPU backend), then per element
// m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); w -= alpha m / (sqrt(v) + epsilon).
extern "C" __global__ void adam_step_f32(float* w, const float* g, float* m, float* v, int n, const float* hyper, int lr_slot,
                                         const int* counters, int step_slot, float beta1, float beta2, float epsilon)
{
    double t = (double)(counters[step_slot] + 1);
    double lr = (double)hyper[lr_slot];
    float alpha = (float)(lr * sqrt(1.0 - pow((double)beta2, t)) / (1.0 - pow((double)beta1, t)));
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
