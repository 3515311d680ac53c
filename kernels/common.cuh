// Shared device code of kernels/*.cu: the counter-based RNG (Philox4x32-10), the keyed row permutation
// of shuffled epochs, NaN-propagating min/max, and the deterministic reductions of the row kernels.
//
// Every .cu file includes this header and is compiled on its own (NVRTC passes it as a named header; the
// emulated device compiles the same sources with g++ under kernels/cuda_emu.h). Only NVRTC's built-in
// types and functions are used: no host headers. Helpers are __device__ __forceinline__ functions in
// namespace snet (never static: NVRTC warns about unreferenced static functions).
//
// Conventions of the kernels:
//  * elementwise kernels use grid-stride loops with 32-bit unsigned indices (n < 2^31, so i + stride
//    never wraps);
//  * row kernels (softmax, cross-entropy, losses) give each row a group of blockDim.x threads
//    (32: one warp per row, blockDim.y rows per block; or 64..1024: one block per row, blockDim.y = 1)
//    and walk the rows with a block-uniform grid-stride loop, so every thread reaches every barrier;
//  * every reduction adds in a fixed order that depends only on the launch shape, never on timing:
//    no float atomics, so results are repeatable run to run.
#pragma once

// NVRTC has no INFINITY/NAN macros and no __builtin_inff; g++ (the emulated device) has no __int_as_float.
#if defined(__CUDACC_RTC__)
#define SNET_NEG_INF __int_as_float(0xff800000)
#define SNET_NAN __int_as_float(0x7fffffff)
#else
#define SNET_NEG_INF (-__builtin_inff())
#define SNET_NAN __builtin_nanf("")
#endif

namespace snet
{

// ---- Philox4x32-10 (Salmon et al., SC'11): the same function as Sequential.Net/Backends/Philox.cs ----

struct Philox4
{
    unsigned int a, b, c, d;
};

// The four 32-bit outputs for counter (c0..c3) under key (k0, k1): ten rounds, 32x32 -> 64-bit products.
__device__ __forceinline__ Philox4 philox4x32_10(unsigned int c0, unsigned int c1, unsigned int c2, unsigned int c3,
                                                 unsigned int k0, unsigned int k1)
{
    for (int round = 0; round < 10; ++round)
    {
        unsigned long long p0 = (unsigned long long)0xD2511F53u * c0;
        unsigned long long p1 = (unsigned long long)0xCD9E8D57u * c2;
        unsigned int hi0 = (unsigned int)(p0 >> 32), lo0 = (unsigned int)p0;
        unsigned int hi1 = (unsigned int)(p1 >> 32), lo1 = (unsigned int)p1;
        unsigned int n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
    }
    Philox4 r;
    r.a = c0; r.b = c1; r.c = c2; r.d = c3;
    return r;
}

// A word's 24 high bits as a float in [0, 1), exactly representable (Philox.Uniform).
__device__ __forceinline__ float uniform_from_word(unsigned int word)
{
    return (float)(word >> 8) * (1.0f / 16777216.0f);
}

// ---- keyed row permutation: the same function as Sequential.Net/Backends/RowOrder.cs ----

// lowbias32 (C. Wellons).
__device__ __forceinline__ unsigned int hash32(unsigned int x)
{
    x ^= x >> 16; x *= 0x7FEB352Du;
    x ^= x >> 15; x *= 0x846CA68Bu;
    x ^= x >> 16;
    return x;
}

// A bijection of [0, count) keyed by (seed, epoch): a 4-round Feistel network on the smallest even-bit
// domain >= count, cycle-walked into range. The caller guarantees index < count (else the walk may not end).
__device__ __forceinline__ unsigned int permute_row(unsigned int index, unsigned int count, unsigned long long seed, unsigned int epoch)
{
    if (count <= 1u) return 0u;
    int bits = 2;
    while ((1ull << bits) < (unsigned long long)count) bits += 2;
    int half = bits / 2;
    unsigned int mask = (1u << half) - 1u;
    unsigned int k0 = (unsigned int)seed ^ hash32(epoch * 0x9E3779B9u);
    unsigned int k1 = (unsigned int)(seed >> 32) ^ hash32(epoch + 0x7F4A7C15u);
    unsigned int x = index;
    do
    {
        unsigned int left = x >> half, right = x & mask;
        for (unsigned int round = 0; round < 4u; ++round)
        {
            unsigned int f = hash32(right ^ (round * 0x632BE5ABu) ^ ((round & 1u) == 0u ? k0 : k1)) & mask;
            unsigned int next = left ^ f;
            left = right;
            right = next;
        }
        x = (left << half) | right;
    } while (x >= count);
    return x;
}

// ---- IEEE 754-2019 maximum/minimum as .NET's MathF.Max/Min: NaN in, NaN out ----

__device__ __forceinline__ float max_nan(float a, float b)
{
    return (a != a || b != b) ? a + b : fmaxf(a, b);
}

__device__ __forceinline__ float min_nan(float a, float b)
{
    return (a != a || b != b) ? a + b : fminf(a, b);
}

// ---- reductions ----

struct SumOp
{
    __device__ __forceinline__ float operator()(float a, float b) const { return a + b; }
};

struct MaxOp
{
    __device__ __forceinline__ float operator()(float a, float b) const { return max_nan(a, b); }
};

// Butterfly over the 32 lanes of a warp: every lane ends with the same value (the combinations are
// commutative pairings, so all lanes compute bitwise the same result).
template <class Op>
__device__ __forceinline__ float warp_reduce(float v, Op op)
{
    for (int offset = 16; offset > 0; offset >>= 1)
        v = op(v, __shfl_xor_sync(0xffffffffu, v, offset));
    return v;
}

__device__ __forceinline__ int warp_sum_int(int v)
{
    for (int offset = 16; offset > 0; offset >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, offset);
    return v;
}

// Reduces v over the blockDim.x threads that share threadIdx.y and returns the result to all of them.
// blockDim.x is a multiple of 32 (at most 1024). With blockDim.x == 32 only shuffles are used; otherwise
// the warps meet in scratch (32 floats per row group, so blockDim.y <= 32 with 1024 floats of scratch),
// with a barrier before the write (an earlier call may still be reading) and one after it. Every thread
// of the block must call it.
template <class Op>
__device__ __forceinline__ float group_reduce(float v, float* scratch, Op op, float identity)
{
    v = warp_reduce(v, op);
    if (blockDim.x == 32u) return v;
    unsigned int lane = threadIdx.x & 31u, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    float* s = scratch + threadIdx.y * 32u;
    __syncthreads();
    if (lane == 0u) s[warp] = v;
    __syncthreads();
    v = lane < warps ? s[lane] : identity;
    return warp_reduce(v, op);
}

__device__ __forceinline__ float group_sum(float v, float* scratch)
{
    return group_reduce(v, scratch, SumOp(), 0.0f);
}

__device__ __forceinline__ float group_max(float v, float* scratch)
{
    return group_reduce(v, scratch, MaxOp(), SNET_NEG_INF);
}

// The row a thread group takes in one step of a grid-stride loop over rows (blockDim.y rows per block): a group past
// the last row stays in the loop with length 0 (and offset 0), so every thread still reaches the group reductions.
struct GroupRow
{
    unsigned int row;
    bool active;
    int len;
    unsigned long long offset;

    __device__ __forceinline__ GroupRow(unsigned int base, int rows, int cols)
        : row(base + threadIdx.y), active(base + threadIdx.y < (unsigned int)rows), len(active ? cols : 0),
          offset(active ? (unsigned long long)row * (unsigned int)cols : 0ull) {}
};

// Keras backend.epsilon(): probability clipping of the losses.
__device__ __forceinline__ float clip_probability(float p)
{
    const float eps = 1e-7f;
    return p < eps ? eps : (p > 1.0f - eps ? 1.0f - eps : p);   // Math.Clamp: NaN stays NaN
}

} // namespace snet
