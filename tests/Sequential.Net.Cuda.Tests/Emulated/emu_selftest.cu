// Test-only kernels for the emulator's own tests (EmulatorSelfTests.cs). Written as CUDA, compiled only
// by g++ under kernels/cuda_emu.h into the emulated library beside kernels/*.cu.

#define FULL_MASK 0xffffffffu

// Block sum with a static __shared__ array and a __syncthreads tree (blockDim.x = 256).
extern "C" __global__ void __launch_bounds__(256) emu_block_sum(const float* __restrict__ x, float* __restrict__ out, int n)
{
    __shared__ float partial[256];
    float s = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) s += __ldg(&x[i]);
    partial[threadIdx.x] = s;
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride >>= 1)
    {
        if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) out[blockIdx.x] = partial[0];
}

// The same with dynamic shared memory (blockDim.x floats, any power of two).
extern "C" __global__ void emu_dynamic_block_sum(const float* __restrict__ x, float* __restrict__ out, int n)
{
    extern __shared__ __align__(16) float dynamicPartial[];
    float s = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) s += x[i];
    dynamicPartial[threadIdx.x] = s;
    __syncthreads();
    for (unsigned stride = blockDim.x / 2; stride > 0; stride >>= 1)
    {
        if (threadIdx.x < stride) dynamicPartial[threadIdx.x] += dynamicPartial[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) out[blockIdx.x] = dynamicPartial[0];
}

__device__ __forceinline__ float warpSumDown(float v)
{
    for (int offset = warpSize / 2; offset > 0; offset >>= 1) v += __shfl_down_sync(FULL_MASK, v, offset);
    return v;
}

// Warp sums: lane 0 of every warp writes the sum of its warp (shfl_down), every lane writes the xor all-reduce.
extern "C" __global__ void emu_warp_sum(const float* __restrict__ x, float* __restrict__ warpSums, float* __restrict__ allReduce)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = x[i];
    float down = warpSumDown(v);
    float all = v;
    for (int mask = 16; mask > 0; mask >>= 1) all += __shfl_xor_sync(FULL_MASK, all, mask);
    if ((threadIdx.x & 31) == 0) warpSums[i / 32] = down;
    allReduce[i] = all;
}

// Block sum the usual two-level way: warp shuffles, one shared slot per warp, a final warp.
extern "C" __global__ void emu_block_sum_shuffle(const float* __restrict__ x, float* __restrict__ out, int n)
{
    __shared__ float warpPartial[32];
    float s = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) s += x[i];
    s = warpSumDown(s);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) warpPartial[warp] = s;
    __syncthreads();
    if (warp == 0)
    {
        s = lane < (int)((blockDim.x + 31) / 32) ? warpPartial[lane] : 0.0f;
        s = warpSumDown(s);
        if (lane == 0) out[blockIdx.x] = s;
    }
}

// Every shuffle mode at a given width: out[4·t + k] for k = idx(src), up(delta), down(delta), xor(mask).
extern "C" __global__ void emu_shuffle_modes(int* __restrict__ out, int width, int src, unsigned delta, int laneMask)
{
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    int v = 1000 + t;
    out[4 * t + 0] = __shfl_sync(FULL_MASK, v, src, width);
    out[4 * t + 1] = __shfl_up_sync(FULL_MASK, v, delta, width);
    out[4 * t + 2] = __shfl_down_sync(FULL_MASK, v, delta, width);
    out[4 * t + 3] = __shfl_xor_sync(FULL_MASK, v, laneMask, width);
}

// 64-bit values through a shuffle, and a shuffle in a partial last warp (blockDim.x = 40) with the active mask.
extern "C" __global__ void emu_shuffle_wide(double* __restrict__ out, unsigned long long* __restrict__ outBits)
{
    double v = 0.5 + threadIdx.x;
    unsigned mask = __activemask();
    out[threadIdx.x] = __shfl_sync(mask, v, 0);
    unsigned long long bits = 0x100000000ull * threadIdx.x + 7u;
    outBits[threadIdx.x] = __shfl_xor_sync(mask, bits, 1);
}

// Atomics over a grid-stride loop.
extern "C" __global__ void emu_atomics(const float* __restrict__ x, int n, float* fsum, int* isum, unsigned* usum, int* imax, unsigned long long* ullsum)
{
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    {
        atomicAdd(fsum, x[i]);
        atomicAdd(isum, i);
        atomicAdd(usum, 2u);
        atomicMax(imax, (i * 7919) % 1000);
        atomicAdd(ullsum, 1ull << 33);
    }
}

// Votes and barrier reductions: out = ballot(odd lane) per warp, any, all, __syncthreads_count/and/or.
extern "C" __global__ void emu_votes(unsigned* __restrict__ out)
{
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    unsigned ballot = __ballot_sync(FULL_MASK, lane & 1);
    int any = __any_sync(FULL_MASK, lane == 3);
    int all = __all_sync(FULL_MASK, lane < 32);
    int count = __syncthreads_count(threadIdx.x % 3 == 0);
    int conj = __syncthreads_and(threadIdx.x < 1000);
    int disj = __syncthreads_or(threadIdx.x == 5);
    if (lane == 0)
    {
        out[warp * 6 + 0] = ballot;
        out[warp * 6 + 1] = any;
        out[warp * 6 + 2] = all;
        out[warp * 6 + 3] = count;
        out[warp * 6 + 4] = conj;
        out[warp * 6 + 5] = disj;
    }
}

// 3-D indices: every thread writes its global linear index and its built-in dimensions.
extern "C" __global__ void emu_indices(int* __restrict__ out)
{
    unsigned gx = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned gy = blockIdx.y * blockDim.y + threadIdx.y;
    unsigned gz = blockIdx.z * blockDim.z + threadIdx.z;
    unsigned width = gridDim.x * blockDim.x, height = gridDim.y * blockDim.y;
    unsigned i = (gz * height + gy) * width + gx;
    out[2 * i] = (int)i;
    out[2 * i + 1] = (int)(blockDim.x * 10000 + blockDim.y * 100 + blockDim.z) ^ (int)(gridDim.x * 1000000 + gridDim.y * 1000 + gridDim.z);
}

// One element per thread, no grid-stride loop: a grid one block short leaves the tail unwritten.
extern "C" __global__ void emu_scale_one_per_thread(const float* __restrict__ x, float* __restrict__ y, int n, float alpha)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = alpha * x[i];
}

// Threads leave early while others still use barriers: exited threads do not block __syncthreads.
extern "C" __global__ void emu_early_exit(const int* __restrict__ x, int* __restrict__ out, int n)
{
    __shared__ int total;
    if (threadIdx.x == 0) total = 0;
    __syncthreads();
    if ((int)threadIdx.x >= n) return;
    atomicAdd(&total, x[threadIdx.x]);
    __syncthreads();
    out[threadIdx.x] = total;
}

// Failures the emulator must report instead of hanging or passing silently.
extern "C" __global__ void emu_trap(int* out)
{
    if (threadIdx.x == 5) __trap();
    __syncthreads();
    out[threadIdx.x] = 1;
}

extern "C" __global__ void emu_deadlock(int* out)
{
    if (threadIdx.x < 16) __syncwarp();
    else __syncthreads();
    out[threadIdx.x] = 1;
}

extern "C" __global__ void emu_shared_overrun(int elements)
{
    extern __shared__ float dynamicPartial[];
    if (threadIdx.x == 0) dynamicPartial[elements] = 1.0f;
}

// Reads dynamic shared memory nobody wrote: the emulator poisons it, so the result is NaN.
extern "C" __global__ void emu_shared_uninitialised(float* out)
{
    extern __shared__ float dynamicPartial[];
    out[threadIdx.x] = dynamicPartial[threadIdx.x];
}

// Math names of the CUDA subset, evaluated once so a missing one fails the build.
extern "C" __global__ void emu_math(const float* __restrict__ x, float* __restrict__ y, unsigned* __restrict__ u)
{
    float v = x[threadIdx.x];
    y[threadIdx.x] = expf(v) + logf(fabsf(v) + 1.0f) + log1pf(fabsf(v)) + sqrtf(fabsf(v)) + rsqrtf(fabsf(v) + 1.0f) + fmaxf(v, 0.0f) + fminf(v, 0.0f) +
                     tanhf(v) + erff(v) + floorf(v) + powf(fabsf(v), 1.5f) + __expf(v) + __logf(fabsf(v) + 2.0f) + __fdividef(v, 3.0f) +
                     (float)(exp((double)v) + log(2.0 + v * v) + sqrt(1.0 + v * v) + fmax((double)v, 0.0) + fabs((double)v) + tanh((double)v) + erf((double)v)) +
                     (v > 1e30f ? INFINITY : 0.0f) + (v > 1e30f ? NAN : 0.0f) + (float)min((int)threadIdx.x, 3) + (float)max((int)threadIdx.x, 3);
    u[threadIdx.x] = __umulhi(0x9E3779B9u, threadIdx.x + 1u) ^ __float_as_uint(v);
}
