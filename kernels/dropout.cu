// Dropout masks from the counter-based Philox4x32-10 (common.cuh): element i of draw (step, stream) uses
// word (i mod 4) of counter (i / 4, step, stream, 0) under key (seed lo, seed hi), exactly as the CPU backend
// (Sequential.Net/Backends/Philox.cs), so both draw bit-identical masks. The step is read on the device
// from counters[step_slot], so a captured training step replays with fresh masks and no host input.
#include "common.cuh"

// mask[i] = uniform(i) >= rate ? keep : 0, keep = 1 / (1 - rate) computed by the host in float.
// One thread per group of four elements (one Philox call).
extern "C" __global__ void dropout_mask_f32(float* mask, int n, float rate, float keep, unsigned long long seed, unsigned int stream, const int* counters, int step_slot)
{
    unsigned int step = (unsigned int)counters[step_slot];
    unsigned int groups = ((unsigned int)n + 3u) >> 2;
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int group = blockIdx.x * blockDim.x + threadIdx.x; group < groups; group += stride)
    {
        snet::Philox4 r = snet::philox4x32_10(group, step, stream, 0u, (unsigned int)seed, (unsigned int)(seed >> 32));
        unsigned int i = group * 4u;
        mask[i] = snet::uniform_from_word(r.a) >= rate ? keep : 0.0f;
        if (i + 1u < (unsigned int)n) mask[i + 1u] = snet::uniform_from_word(r.b) >= rate ? keep : 0.0f;
        if (i + 2u < (unsigned int)n) mask[i + 2u] = snet::uniform_from_word(r.c) >= rate ? keep : 0.0f;
        if (i + 3u < (unsigned int)n) mask[i + 3u] = snet::uniform_from_word(r.d) >= rate ? keep : 0.0f;
    }
}
