// cuda_emu.h: a small CUDA emulation so that kernels/*.cu compile for the host with g++ (docs/testing.md,
// "Without a GPU"). It is NOT part of the kernels NVRTC sees (the Cuda project's resources exclude it).
//
// Model. A launch runs its blocks one after another on the calling OS thread. The threads of a block are
// cooperative fibers (kernels/cuda_emu_runtime.cpp): a thread runs until it reaches a barrier
// (__syncthreads, __syncwarp, a warp shuffle or vote) and then yields to the scheduler, which resumes
// every thread of the block until all of them have arrived. Nothing else switches threads, so an atomic
// is a plain read-modify-write and needs no lock.
//
// Storage. __shared__ is `thread_local`: at block scope that makes a variable static, i.e. one instance
// for every fiber of the OS thread (= the block being run), and `extern __shared__ T name[]` stays a
// declaration (`extern thread_local`) whose definition the build generates, one buffer per name sized
// CUDA_EMU_MAX_DYNAMIC_SHARED (so dynamic shared arrays must be declared in the global namespace). The
// launch's dynamic shared bytes are filled with 0xFF before every block (a float nobody wrote reads as
// NaN) and the bytes past them are checked after the launch (a write there is reported); static
// __shared__ arrays are not reset and keep what the previous block left.
//
// Warp intrinsics wait for every live (not exited) lane of their mask; __activemask() reports the live
// lanes of the warp (divergence is not tracked). A thread that exits counts as arrived at every barrier,
// as on current GPUs. A barrier that can never complete is reported as a deadlock, __trap() as a failure.
//
// What is not emulated: warp-synchronous code that relies on lockstep execution without __syncwarp or
// a *_sync intrinsic (Volta+ does not guarantee it either), cooperative groups, textures, inline PTX,
// __constant__ memory set from the host, half precision. Intrinsics such as __expf map to the accurate
// libm functions. Out-of-bounds accesses are not checked: they hit host memory.
#pragma once

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <float.h>
#include <type_traits>
#include <utility>

#define CUDA_EMU 1

// ---- qualifiers --------------------------------------------------------------------------------------
#ifdef CUDA_EMU_SCAN
// The build preprocesses each .cu once with CUDA_EMU_SCAN to find its kernels and dynamic shared arrays
// after macro expansion; these two markers survive that pass.
#define __global__ __global__
#define __shared__ __shared__
#else
#define __global__
#define __shared__ thread_local
#endif
#define __device__
#define __host__
#define __constant__
#define __managed__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
// __restrict__ is a g++ keyword already.

/// Largest dynamic shared memory a launch may ask for: the 48 KB a kernel gets without opting in.
#define CUDA_EMU_MAX_DYNAMIC_SHARED 49152

// ---- vector and index types -------------------------------------------------------------------------
struct uint3 { unsigned int x, y, z; };
struct int2 { int x, y; };
struct __align__(16) int4 { int x, y, z, w; };
struct uint2 { unsigned int x, y; };
struct __align__(16) uint4 { unsigned int x, y, z, w; };
struct __align__(8) float2 { float x, y; };
struct float3 { float x, y, z; };
struct __align__(16) float4 { float x, y, z, w; };
struct __align__(16) double2 { double x, y; };
struct dim3
{
    unsigned int x, y, z;
    constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
    constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
    constexpr operator uint3() const { return uint3{x, y, z}; }
};
static inline int2 make_int2(int x, int y) { return int2{x, y}; }
static inline int4 make_int4(int x, int y, int z, int w) { return int4{x, y, z, w}; }
static inline uint2 make_uint2(unsigned x, unsigned y) { return uint2{x, y}; }
static inline uint3 make_uint3(unsigned x, unsigned y, unsigned z) { return uint3{x, y, z}; }
static inline uint4 make_uint4(unsigned x, unsigned y, unsigned z, unsigned w) { return uint4{x, y, z, w}; }
static inline float2 make_float2(float x, float y) { return float2{x, y}; }
static inline float3 make_float3(float x, float y, float z) { return float3{x, y, z}; }
static inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }
static inline double2 make_double2(double x, double y) { return double2{x, y}; }

// ---- the runtime (kernels/cuda_emu_runtime.cpp) -----------------------------------------------------
#define CUDA_EMU_HIDDEN __attribute__((visibility("hidden")))

namespace cuda_emu
{
struct Builtins
{
    uint3 thread, block;
    dim3 blockDimension, gridDimension;
};
/// The indices of the running fiber; the scheduler rewrites them at every switch.
extern CUDA_EMU_HIDDEN Builtins g_builtins;

CUDA_EMU_HIDDEN void sync_block();
CUDA_EMU_HIDDEN int sync_block_reduce(int predicate, int op);  // op 0 count, 1 and, 2 or
CUDA_EMU_HIDDEN void sync_warp(unsigned mask);
/// Warp shuffle with PTX shfl.sync semantics: mode 0 up, 1 down, 2 bfly, 3 idx; c packs clamp and segment mask.
CUDA_EMU_HIDDEN unsigned long long shuffle(unsigned mask, unsigned long long value, int mode, unsigned b, unsigned c);
/// Warp vote: op 0 ballot, 1 any, 2 all.
CUDA_EMU_HIDDEN unsigned vote(unsigned mask, int predicate, int op);
CUDA_EMU_HIDDEN unsigned active_mask();
[[noreturn]] CUDA_EMU_HIDDEN void trap(const char* why);
CUDA_EMU_HIDDEN long long clock_ticks();

/// The trampoline a launch calls in every fiber: unpacks cuLaunchKernel-style `void** params` (each a
/// pointer to one argument's value) into the kernel's typed arguments.
using Invoker = void (*)(void* kernel, void** params);
CUDA_EMU_HIDDEN void register_kernel(const char* name, void* kernel, Invoker invoke, int count, const int* sizes);
CUDA_EMU_HIDDEN void register_dynamic_shared(unsigned char* (*address)());

template <class... A>
struct KernelInvoker
{
    template <size_t... I>
    static void call(void (*f)(A...), void** p, std::index_sequence<I...>)
    {
        f(*static_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(p[I])...);
    }
    static void invoke(void* kernel, void** params)
    {
        call(reinterpret_cast<void (*)(A...)>(kernel), params, std::index_sequence_for<A...>{});
    }
};

struct KernelRegistrar
{
    template <class... A>
    KernelRegistrar(const char* name, void (*kernel)(A...))
    {
        static_assert(((std::is_trivially_copyable<std::remove_cv_t<A>>::value) && ...), "kernel arguments are copied bytewise");
        static const int sizes[sizeof...(A) + 1] = {static_cast<int>(sizeof(A))..., 0};
        register_kernel(name, reinterpret_cast<void*>(kernel), &KernelInvoker<A...>::invoke, static_cast<int>(sizeof...(A)), sizes);
    }
};

struct SharedRegistrar
{
    explicit SharedRegistrar(unsigned char* (*address)()) { register_dynamic_shared(address); }
};

template <class T>
inline unsigned long long to_bits(T v)
{
    static_assert(sizeof(T) <= 8 && std::is_trivially_copyable<T>::value, "shuffles move at most 64 bits");
    unsigned long long bits = 0;
    memcpy(&bits, &v, sizeof(T));
    return bits;
}
template <class T>
inline T from_bits(unsigned long long bits)
{
    T v;
    memcpy(&v, &bits, sizeof(T));
    return v;
}
}  // namespace cuda_emu

/// Registers an `extern "C" __global__` kernel with the emulator (the build generates these lines).
#define CUDA_EMU_REGISTER(name) static ::cuda_emu::KernelRegistrar cuda_emu_registrar_##name(#name, &name);

// Built-in variables: const views of the scheduler's state, reloaded after every barrier call.
#define threadIdx (static_cast<const uint3&>(::cuda_emu::g_builtins.thread))
#define blockIdx (static_cast<const uint3&>(::cuda_emu::g_builtins.block))
#define blockDim (static_cast<const dim3&>(::cuda_emu::g_builtins.blockDimension))
#define gridDim (static_cast<const dim3&>(::cuda_emu::g_builtins.gridDimension))
static constexpr int warpSize = 32;

// ---- synchronisation --------------------------------------------------------------------------------
// The empty asm with a memory clobber keeps g++ from caching shared memory in registers across a barrier.
#define CUDA_EMU_FENCE() __asm__ __volatile__("" ::: "memory")
static inline void __syncthreads() { CUDA_EMU_FENCE(); cuda_emu::sync_block(); CUDA_EMU_FENCE(); }
static inline int __syncthreads_count(int p) { CUDA_EMU_FENCE(); int r = cuda_emu::sync_block_reduce(p != 0, 0); CUDA_EMU_FENCE(); return r; }
static inline int __syncthreads_and(int p) { CUDA_EMU_FENCE(); int r = cuda_emu::sync_block_reduce(p != 0, 1); CUDA_EMU_FENCE(); return r; }
static inline int __syncthreads_or(int p) { CUDA_EMU_FENCE(); int r = cuda_emu::sync_block_reduce(p != 0, 2); CUDA_EMU_FENCE(); return r; }
static inline void __syncwarp(unsigned mask = 0xffffffffu) { CUDA_EMU_FENCE(); cuda_emu::sync_warp(mask); CUDA_EMU_FENCE(); }
static inline void __threadfence() { CUDA_EMU_FENCE(); }
static inline void __threadfence_block() { CUDA_EMU_FENCE(); }
static inline void __threadfence_system() { CUDA_EMU_FENCE(); }
static inline unsigned __activemask() { return cuda_emu::active_mask(); }
[[noreturn]] static inline void __trap() { cuda_emu::trap("__trap() called"); }
[[noreturn]] static inline void __brkpt() { cuda_emu::trap("__brkpt() called"); }
static inline long long clock64() { return cuda_emu::clock_ticks(); }
static inline void __nanosleep(unsigned) {}

template <class T>
static inline T __shfl_sync(unsigned mask, T var, int srcLane, int width = warpSize)
{
    CUDA_EMU_FENCE();
    return cuda_emu::from_bits<T>(cuda_emu::shuffle(mask, cuda_emu::to_bits(var), 3, static_cast<unsigned>(srcLane), ((warpSize - width) << 8) | 0x1f));
}
template <class T>
static inline T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = warpSize)
{
    CUDA_EMU_FENCE();
    return cuda_emu::from_bits<T>(cuda_emu::shuffle(mask, cuda_emu::to_bits(var), 0, delta, (warpSize - width) << 8));
}
template <class T>
static inline T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = warpSize)
{
    CUDA_EMU_FENCE();
    return cuda_emu::from_bits<T>(cuda_emu::shuffle(mask, cuda_emu::to_bits(var), 1, delta, ((warpSize - width) << 8) | 0x1f));
}
template <class T>
static inline T __shfl_xor_sync(unsigned mask, T var, int laneMask, int width = warpSize)
{
    CUDA_EMU_FENCE();
    return cuda_emu::from_bits<T>(cuda_emu::shuffle(mask, cuda_emu::to_bits(var), 2, static_cast<unsigned>(laneMask), ((warpSize - width) << 8) | 0x1f));
}
static inline unsigned __ballot_sync(unsigned mask, int p) { CUDA_EMU_FENCE(); return cuda_emu::vote(mask, p != 0, 0); }
static inline int __any_sync(unsigned mask, int p) { CUDA_EMU_FENCE(); return static_cast<int>(cuda_emu::vote(mask, p != 0, 1)); }
static inline int __all_sync(unsigned mask, int p) { CUDA_EMU_FENCE(); return static_cast<int>(cuda_emu::vote(mask, p != 0, 2)); }

// ---- atomics: fibers switch only at barriers, so a plain read-modify-write is atomic ---------------------
#define CUDA_EMU_ATOMIC(name, T, expr) \
    static inline T name(T* address, T val) { T old = *address; *address = (expr); return old; }
#define CUDA_EMU_ATOMIC_INTS(name, expr)                     \
    CUDA_EMU_ATOMIC(name, int, expr)                         \
    CUDA_EMU_ATOMIC(name, unsigned int, expr)                \
    CUDA_EMU_ATOMIC(name, unsigned long long, expr)
CUDA_EMU_ATOMIC_INTS(atomicAdd, old + val)
CUDA_EMU_ATOMIC(atomicAdd, float, old + val)
CUDA_EMU_ATOMIC(atomicAdd, double, old + val)
CUDA_EMU_ATOMIC(atomicSub, int, old - val)
CUDA_EMU_ATOMIC(atomicSub, unsigned int, old - val)
CUDA_EMU_ATOMIC_INTS(atomicExch, val)
CUDA_EMU_ATOMIC(atomicExch, float, val)
CUDA_EMU_ATOMIC_INTS(atomicMax, old > val ? old : val)
CUDA_EMU_ATOMIC(atomicMax, long long, old > val ? old : val)
CUDA_EMU_ATOMIC_INTS(atomicMin, old < val ? old : val)
CUDA_EMU_ATOMIC(atomicMin, long long, old < val ? old : val)
CUDA_EMU_ATOMIC_INTS(atomicAnd, old & val)
CUDA_EMU_ATOMIC_INTS(atomicOr, old | val)
CUDA_EMU_ATOMIC_INTS(atomicXor, old ^ val)
CUDA_EMU_ATOMIC(atomicInc, unsigned int, old >= val ? 0u : old + 1u)
CUDA_EMU_ATOMIC(atomicDec, unsigned int, (old == 0u || old > val) ? val : old - 1u)
#undef CUDA_EMU_ATOMIC_INTS
#undef CUDA_EMU_ATOMIC
#define CUDA_EMU_ATOMIC_CAS(T) \
    static inline T atomicCAS(T* address, T compare, T val) { T old = *address; if (old == compare) *address = val; return old; }
CUDA_EMU_ATOMIC_CAS(int)
CUDA_EMU_ATOMIC_CAS(unsigned int)
CUDA_EMU_ATOMIC_CAS(unsigned long long)
CUDA_EMU_ATOMIC_CAS(unsigned short)
#undef CUDA_EMU_ATOMIC_CAS

// ---- loads -----------------------------------------------------------------------------------------------
template <class T> static inline T __ldg(const T* p) { return *p; }
template <class T> static inline T __ldcg(const T* p) { return *p; }
template <class T> static inline T __ldca(const T* p) { return *p; }
template <class T> static inline T __ldcs(const T* p) { return *p; }
template <class T> static inline T __ldlu(const T* p) { return *p; }
template <class T> static inline T __ldcv(const T* p) { return *p; }
template <class T> static inline void __stcg(T* p, T v) { *p = v; }
template <class T> static inline void __stcs(T* p, T v) { *p = v; }
template <class T> static inline void __stwb(T* p, T v) { *p = v; }
template <class T> static inline void __stwt(T* p, T v) { *p = v; }

// ---- math: the libm functions (expf, logf, log1pf, tanhf, erff, powf, ... and double versions) come from
// <math.h>; these are CUDA's extra names. Intrinsics (__expf …) map to the accurate functions: the real
// intrinsics are less accurate, so parity tests would only get easier on the host.
static inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
static inline double rsqrt(double x) { return 1.0 / sqrt(x); }
static inline float rcbrtf(float x) { return 1.0f / cbrtf(x); }
// glibc declares these names itself (as internal aliases), so they are macros here.
#define __expf(x) expf(x)
#define __exp10f(x) powf(10.0f, (x))
#define __logf(x) logf(x)
#define __log2f(x) log2f(x)
#define __log10f(x) log10f(x)
#define __powf(x, y) powf((x), (y))
#define __sinf(x) sinf(x)
#define __cosf(x) cosf(x)
#define __tanf(x) tanf(x)
#define __sincosf(x, s, c) sincosf((x), (s), (c))
static inline float __fdividef(float x, float y) { return x / y; }
static inline float fdividef(float x, float y) { return x / y; }
static inline float __saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : (x != x ? 0.0f : x)); }
static inline float __fadd_rn(float x, float y) { return x + y; }
static inline float __fsub_rn(float x, float y) { return x - y; }
static inline float __fmul_rn(float x, float y) { return x * y; }
static inline float __fdiv_rn(float x, float y) { return x / y; }
static inline float __fmaf_rn(float x, float y, float z) { return fmaf(x, y, z); }
static inline float __frcp_rn(float x) { return 1.0f / x; }
static inline float __fsqrt_rn(float x) { return sqrtf(x); }
static inline float __frsqrt_rn(float x) { return 1.0f / sqrtf(x); }
static inline double __dadd_rn(double x, double y) { return x + y; }
static inline double __dmul_rn(double x, double y) { return x * y; }
static inline double __fma_rn(double x, double y, double z) { return fma(x, y, z); }
static inline float normcdff(float x) { return 0.5f * erfcf(-x * 0.70710678118654752f); }
static inline double normcdf(double x) { return 0.5 * erfc(-x * 0.70710678118654752); }

static inline unsigned int __float_as_uint(float x) { unsigned int u; memcpy(&u, &x, 4); return u; }
static inline float __uint_as_float(unsigned int u) { float x; memcpy(&x, &u, 4); return x; }
static inline int __float_as_int(float x) { int i; memcpy(&i, &x, 4); return i; }
static inline float __int_as_float(int i) { float x; memcpy(&x, &i, 4); return x; }
static inline long long __double_as_longlong(double x) { long long i; memcpy(&i, &x, 8); return i; }
static inline double __longlong_as_double(long long i) { double x; memcpy(&x, &i, 8); return x; }
static inline int __float2int_rn(float x) { return static_cast<int>(nearbyintf(x)); }
static inline int __float2int_rz(float x) { return static_cast<int>(x); }
static inline int __float2int_rd(float x) { return static_cast<int>(floorf(x)); }
static inline int __float2int_ru(float x) { return static_cast<int>(ceilf(x)); }
static inline unsigned __float2uint_rn(float x) { return static_cast<unsigned>(nearbyintf(x)); }
static inline unsigned __float2uint_rz(float x) { return static_cast<unsigned>(x); }
static inline long long __float2ll_rn(float x) { return static_cast<long long>(nearbyintf(x)); }
static inline long long __float2ll_rz(float x) { return static_cast<long long>(x); }
static inline float __int2float_rn(int i) { return static_cast<float>(i); }
static inline float __uint2float_rn(unsigned u) { return static_cast<float>(u); }
static inline float __ll2float_rn(long long i) { return static_cast<float>(i); }
static inline float __ull2float_rn(unsigned long long u) { return static_cast<float>(u); }
static inline int __double2int_rn(double x) { return static_cast<int>(nearbyint(x)); }
static inline float __double2float_rn(double x) { return static_cast<float>(x); }

static inline unsigned int __umulhi(unsigned int a, unsigned int b) { return static_cast<unsigned int>((static_cast<unsigned long long>(a) * b) >> 32); }
static inline int __mulhi(int a, int b) { return static_cast<int>((static_cast<long long>(a) * b) >> 32); }
static inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) { return static_cast<unsigned long long>((static_cast<unsigned __int128>(a) * b) >> 64); }
static inline long long __mul64hi(long long a, long long b) { return static_cast<long long>((static_cast<__int128>(a) * b) >> 64); }
static inline int __mul24(int a, int b) { return ((a << 8) >> 8) * ((b << 8) >> 8); }
static inline unsigned __umul24(unsigned a, unsigned b) { return (a & 0xffffffu) * (b & 0xffffffu); }
static inline int __popc(unsigned int x) { return __builtin_popcount(x); }
static inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
static inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
static inline int __clzll(long long x) { return x == 0 ? 64 : __builtin_clzll(static_cast<unsigned long long>(x)); }
static inline int __ffs(int x) { return __builtin_ffs(x); }
static inline int __ffsll(long long x) { return __builtin_ffsll(x); }
static inline unsigned int __brev(unsigned int x)
{
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
    x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);
    return (x >> 16) | (x << 16);
}
static inline unsigned __funnelshift_l(unsigned lo, unsigned hi, unsigned s) { unsigned long long v = (static_cast<unsigned long long>(hi) << 32) | lo; return static_cast<unsigned>((v << (s & 31)) >> 32); }
static inline unsigned __funnelshift_r(unsigned lo, unsigned hi, unsigned s) { unsigned long long v = (static_cast<unsigned long long>(hi) << 32) | lo; return static_cast<unsigned>(v >> (s & 31)); }

// CUDA's global min/max overloads (integers, mixed signedness as CUDA resolves it, and floating point).
#define CUDA_EMU_MINMAX(T)                                              \
    static inline T min(T a, T b) { return a < b ? a : b; }             \
    static inline T max(T a, T b) { return a > b ? a : b; }
CUDA_EMU_MINMAX(int)
CUDA_EMU_MINMAX(unsigned int)
CUDA_EMU_MINMAX(long)
CUDA_EMU_MINMAX(unsigned long)
CUDA_EMU_MINMAX(long long)
CUDA_EMU_MINMAX(unsigned long long)
#undef CUDA_EMU_MINMAX
static inline unsigned int min(int a, unsigned int b) { return min(static_cast<unsigned int>(a), b); }
static inline unsigned int min(unsigned int a, int b) { return min(a, static_cast<unsigned int>(b)); }
static inline unsigned int max(int a, unsigned int b) { return max(static_cast<unsigned int>(a), b); }
static inline unsigned int max(unsigned int a, int b) { return max(a, static_cast<unsigned int>(b)); }
static inline unsigned long long min(long long a, unsigned long long b) { return min(static_cast<unsigned long long>(a), b); }
static inline unsigned long long min(unsigned long long a, long long b) { return min(a, static_cast<unsigned long long>(b)); }
static inline unsigned long long max(long long a, unsigned long long b) { return max(static_cast<unsigned long long>(a), b); }
static inline unsigned long long max(unsigned long long a, long long b) { return max(a, static_cast<unsigned long long>(b)); }
static inline float min(float a, float b) { return fminf(a, b); }
static inline float max(float a, float b) { return fmaxf(a, b); }
static inline double min(double a, double b) { return fmin(a, b); }
static inline double max(double a, double b) { return fmax(a, b); }
static inline unsigned int umin(unsigned int a, unsigned int b) { return a < b ? a : b; }
static inline unsigned int umax(unsigned int a, unsigned int b) { return a > b ? a : b; }
static inline long long llmin(long long a, long long b) { return a < b ? a : b; }
static inline long long llmax(long long a, long long b) { return a > b ? a : b; }
static inline unsigned long long ullmin(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
static inline unsigned long long ullmax(unsigned long long a, unsigned long long b) { return a > b ? a : b; }
