// cuda_emu_runtime.cpp: the scheduler behind kernels/cuda_emu.h and the C entry points of the emulated
// kernel library (emu_launch …) that the test project's EmulatedDevice calls.
//
// A launch runs block after block on the calling OS thread (launches from several OS threads are
// serialised by one mutex). Within a block every CUDA thread is a fiber on a worker stack: a thread that
// never waits runs to completion in one go and hands its worker to the next thread, so a kernel without
// barriers needs one stack; a thread that waits keeps its worker until it finishes. On x86-64 a switch
// is a few pushes and pops (no signal-mask syscall as in swapcontext); elsewhere, or with
// -DCUDA_EMU_UCONTEXT, ucontext is used.
#include "cuda_emu.h"

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#if !defined(__x86_64__) && !defined(CUDA_EMU_UCONTEXT)
#define CUDA_EMU_UCONTEXT 1
#endif
#ifdef CUDA_EMU_UCONTEXT
#include <ucontext.h>
#endif

#define EMU_EXPORT extern "C" __attribute__((visibility("default")))

namespace cuda_emu
{
Builtins g_builtins;

namespace
{
constexpr size_t kStackBytes = 64 * 1024;
constexpr int kMaxThreadsPerBlock = 1024;
constexpr unsigned long long kPoison = ~0ull;
constexpr size_t kSharedGuard = 4096;

enum ErrorCode { Ok = 0, UnknownKernel = 1, InvalidConfiguration = 2, KernelFailed = 3 };
enum class State : unsigned char { NotStarted, Runnable, AtBlockBarrier, AtWarpBarrier, Done };

struct Worker;

struct Thread
{
    uint3 idx;
    State state;
    unsigned char lane;
    unsigned warp;
    unsigned waitMask;  // lanes this thread waits for at a warp barrier
    Worker* worker;
};

struct Warp
{
    unsigned exists;    // lanes that exist (a partial last warp has fewer)
    unsigned live;      // existing lanes that have not exited
    unsigned arrived;   // lanes waiting at a warp barrier
    unsigned long long slots[32];
};

struct Worker
{
#ifdef CUDA_EMU_UCONTEXT
    ucontext_t context;
#else
    void* sp;
#endif
    char* stack;
    Thread* thread;
    bool fresh;
};

struct Kernel
{
    std::string name;
    void* function;
    Invoker invoke;
    std::vector<int> sizes;
};

std::vector<Kernel>& kernels()
{
    static std::vector<Kernel> list;
    return list;
}

std::unordered_map<std::string, int>& kernelIds()
{
    static std::unordered_map<std::string, int> map;
    return map;
}

std::vector<unsigned char* (*)()>& dynamicShared()
{
    static std::vector<unsigned char* (*)()> list;
    return list;
}

thread_local std::string t_lastError;

/// Everything a launch needs; guarded by g_mutex.
struct Scheduler
{
    const Kernel* kernel = nullptr;
    void** params = nullptr;
    std::vector<Thread> threads;
    std::vector<Warp> warps;
    std::vector<Worker*> workers;  // all ever created
    std::vector<Worker*> idle;
    Thread* current = nullptr;
    int live = 0;
    int blockArrived = 0;
    int reduceTrue = 0;       // predicates of __syncthreads_count/and/or that were true
    int resultTrue = 0;       // … at the last release, and how many threads arrived then
    int resultArrived = 0;
    bool failed = false;
    std::string failure;
#ifdef CUDA_EMU_UCONTEXT
    ucontext_t schedulerContext;
#else
    void* schedulerSp = nullptr;
#endif
    unsigned long long launches = 0, blocks = 0, threadsRun = 0, switches = 0;
};

std::mutex g_mutex;
Scheduler S;
}  // namespace
}  // namespace cuda_emu

using namespace cuda_emu;

extern "C" CUDA_EMU_HIDDEN void cuda_emu_fiber_main(Worker* w);

#ifndef CUDA_EMU_UCONTEXT
// cuda_emu_switch(save, load): pushes the callee-saved registers, stores the stack pointer in *save,
// switches to the stack `load` and pops that fiber's registers. A fresh stack is prepared so that its
// "return address" is cuda_emu_fiber_start, which calls cuda_emu_fiber_main(r12).
extern "C" CUDA_EMU_HIDDEN void cuda_emu_switch(void** save, void* load);
extern "C" CUDA_EMU_HIDDEN void cuda_emu_fiber_start();
__asm__(R"(
    .text
    .p2align 4
    .globl cuda_emu_switch
    .hidden cuda_emu_switch
    .type cuda_emu_switch, @function
cuda_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size cuda_emu_switch, .-cuda_emu_switch

    .p2align 4
    .globl cuda_emu_fiber_start
    .hidden cuda_emu_fiber_start
    .type cuda_emu_fiber_start, @function
cuda_emu_fiber_start:
    movq %r12, %rdi
    call cuda_emu_fiber_main
    ud2
    .size cuda_emu_fiber_start, .-cuda_emu_fiber_start
)");
#endif

namespace cuda_emu
{
namespace
{
#ifdef CUDA_EMU_UCONTEXT
void ucontextEntry(unsigned hi, unsigned lo)
{
    cuda_emu_fiber_main(reinterpret_cast<Worker*>((static_cast<uintptr_t>(hi) << 32) | lo));
}
#endif

void prepare(Worker* w)
{
#ifdef CUDA_EMU_UCONTEXT
    getcontext(&w->context);
    w->context.uc_stack.ss_sp = w->stack;
    w->context.uc_stack.ss_size = kStackBytes;
    w->context.uc_link = nullptr;
    uintptr_t p = reinterpret_cast<uintptr_t>(w);
    makecontext(&w->context, reinterpret_cast<void (*)()>(ucontextEntry), 2, static_cast<unsigned>(p >> 32), static_cast<unsigned>(p));
#else
    uintptr_t top = (reinterpret_cast<uintptr_t>(w->stack) + kStackBytes) & ~static_cast<uintptr_t>(15);
    void** sp = reinterpret_cast<void**>(top - 72);  // after 6 pops and ret, rsp = top - 16 (16-aligned)
    for (int i = 0; i < 9; i++) sp[i] = nullptr;
    sp[3] = w;                                                    // r12
    sp[6] = reinterpret_cast<void*>(&cuda_emu_fiber_start);      // return address
    w->sp = sp;
#endif
    w->fresh = false;
}

Worker* newWorker()
{
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    void* mem = mmap(nullptr, kStackBytes + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) return nullptr;
    mprotect(mem, page, PROT_NONE);  // guard page below the stack: an overflow faults instead of corrupting
    Worker* w = new Worker();
    w->stack = static_cast<char*>(mem) + page;
    w->thread = nullptr;
    w->fresh = true;
    S.workers.push_back(w);
    return w;
}

/// Scheduler → fiber of thread t.
void resume(Thread& t)
{
    if (t.worker == nullptr)
    {
        Worker* w;
        if (!S.idle.empty()) { w = S.idle.back(); S.idle.pop_back(); }
        else if ((w = newWorker()) == nullptr) { S.failed = true; S.failure = "out of memory for fiber stacks"; return; }
        if (w->fresh) prepare(w);
        w->thread = &t;
        t.worker = w;
        S.threadsRun++;
    }
    t.state = State::Runnable;
    S.current = &t;
    g_builtins.thread = t.idx;
    S.switches++;
#ifdef CUDA_EMU_UCONTEXT
    swapcontext(&S.schedulerContext, &t.worker->context);
#else
    cuda_emu_switch(&S.schedulerSp, t.worker->sp);
#endif
}

/// Fiber → scheduler; returns when the scheduler resumes this thread.
void yield()
{
    Worker* w = S.current->worker;
#ifdef CUDA_EMU_UCONTEXT
    swapcontext(&w->context, &S.schedulerContext);
#else
    cuda_emu_switch(&w->sp, S.schedulerSp);
#endif
}

void releaseBlock()
{
    for (Thread& t : S.threads)
        if (t.state == State::AtBlockBarrier) t.state = State::Runnable;
    S.resultTrue = S.reduceTrue;
    S.resultArrived = S.blockArrived;
    S.reduceTrue = 0;
    S.blockArrived = 0;
}

/// Releases the lanes of `need` when every live one of them waits at a warp barrier.
bool tryReleaseWarp(unsigned warpIndex, unsigned need)
{
    Warp& w = S.warps[warpIndex];
    unsigned required = need & w.live;
    if ((w.arrived & required) != required) return false;
    w.arrived &= ~required;
    for (unsigned m = required; m != 0; m &= m - 1)
    {
        Thread& t = S.threads[warpIndex * 32 + static_cast<unsigned>(__builtin_ctz(m))];
        if (t.state == State::AtWarpBarrier) t.state = State::Runnable;
    }
    return true;
}

void warpBarrier(unsigned mask)
{
    Thread& t = *S.current;
    Warp& w = S.warps[t.warp];
    unsigned me = 1u << t.lane;
    t.waitMask = (mask | me) & w.exists;
    w.arrived |= me;
    if (tryReleaseWarp(t.warp, t.waitMask)) return;
    t.state = State::AtWarpBarrier;
    yield();
}

void threadExit(Thread& t)
{
    t.state = State::Done;
    S.live--;
    Warp& w = S.warps[t.warp];
    w.live &= ~(1u << t.lane);
    if (S.blockArrived > 0 && S.blockArrived == S.live) releaseBlock();
    for (unsigned m = w.arrived; m != 0; m &= m - 1)
    {
        const Thread& waiting = S.threads[t.warp * 32 + static_cast<unsigned>(__builtin_ctz(m))];
        if (tryReleaseWarp(t.warp, waiting.waitMask)) break;
    }
}

const char* stateName(State s)
{
    switch (s)
    {
    case State::NotStarted: return "not started";
    case State::Runnable: return "runnable";
    case State::AtBlockBarrier: return "at __syncthreads";
    case State::AtWarpBarrier: return "at a warp barrier";
    default: return "done";
    }
}

std::string describeDeadlock()
{
    std::string s = "deadlock: no thread of block (" + std::to_string(g_builtins.block.x) + "," + std::to_string(g_builtins.block.y) + "," +
                    std::to_string(g_builtins.block.z) + ") can proceed;";
    int shown = 0;
    for (const Thread& t : S.threads)
        if (t.state != State::Done && shown++ < 8)
            s += " thread " + std::to_string(t.idx.x) + "," + std::to_string(t.idx.y) + "," + std::to_string(t.idx.z) + " " + stateName(t.state) + ";";
    return s + " (a barrier that not every live thread of the block or warp reaches)";
}

/// Abandons every suspended fiber after a failure: their stacks are reused from scratch.
void resetWorkers()
{
    S.idle.clear();
    for (Worker* w : S.workers)
    {
        w->thread = nullptr;
        w->fresh = true;
        S.idle.push_back(w);
    }
}

bool runBlock(unsigned bx, unsigned by, unsigned bz, int sharedBytes)
{
    g_builtins.block = uint3{bx, by, bz};
    const dim3 b = g_builtins.blockDimension;
    unsigned n = b.x * b.y * b.z;
    S.threads.resize(n);
    S.warps.resize((n + 31) / 32);
    for (unsigned i = 0; i < n; i++)
    {
        Thread& t = S.threads[i];
        t.idx = uint3{i % b.x, (i / b.x) % b.y, i / (b.x * b.y)};
        t.state = State::NotStarted;
        t.lane = static_cast<unsigned char>(i % 32);
        t.warp = i / 32;
        t.waitMask = 0;
        t.worker = nullptr;
    }
    for (unsigned k = 0; k < S.warps.size(); k++)
    {
        Warp& w = S.warps[k];
        unsigned lanes = n - k * 32 >= 32 ? 32 : n - k * 32;
        w.exists = lanes == 32 ? ~0u : (1u << lanes) - 1;
        w.live = w.exists;
        w.arrived = 0;
        for (auto& slot : w.slots) slot = kPoison;
    }
    S.live = static_cast<int>(n);
    S.blockArrived = 0;
    S.reduceTrue = 0;
    for (auto address : dynamicShared()) memset(address(), 0xff, static_cast<size_t>(sharedBytes));
    S.blocks++;
    while (S.live > 0)
    {
        bool progressed = false;
        for (Thread& t : S.threads)
        {
            if (t.state != State::NotStarted && t.state != State::Runnable) continue;
            resume(t);
            progressed = true;
            if (S.failed) return false;
        }
        if (!progressed)
        {
            S.failed = true;
            S.failure = describeDeadlock();
            return false;
        }
    }
    return true;
}

int fail(int code, std::string message)
{
    t_lastError = std::move(message);
    return code;
}

int launch(int id, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, int sharedBytes, void** params)
{
    if (id < 0 || id >= static_cast<int>(kernels().size())) return fail(UnknownKernel, "no kernel with id " + std::to_string(id));
    const Kernel& k = kernels()[static_cast<size_t>(id)];
    // The limits cuLaunchKernel enforces on every current GPU (CUDA_ERROR_INVALID_VALUE otherwise).
    unsigned long long threads = static_cast<unsigned long long>(bx) * by * bz;
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 || gx > 0x7fffffffu || gy > 65535 || gz > 65535 || bx > 1024 ||
        by > 1024 || bz > 64 || threads > static_cast<unsigned long long>(kMaxThreadsPerBlock) || sharedBytes < 0 || sharedBytes > CUDA_EMU_MAX_DYNAMIC_SHARED)
        return fail(InvalidConfiguration, "invalid launch configuration for " + k.name + ": grid (" + std::to_string(gx) + "," + std::to_string(gy) + "," +
                                              std::to_string(gz) + "), block (" + std::to_string(bx) + "," + std::to_string(by) + "," + std::to_string(bz) +
                                              "), " + std::to_string(sharedBytes) + " bytes of dynamic shared memory");
    std::lock_guard<std::mutex> lock(g_mutex);
    S.kernel = &k;
    S.params = params;
    S.failed = false;
    S.failure.clear();
    S.launches++;
    g_builtins.gridDimension = dim3(gx, gy, gz);
    g_builtins.blockDimension = dim3(bx, by, bz);
    for (auto address : dynamicShared()) memset(address(), 0xff, CUDA_EMU_MAX_DYNAMIC_SHARED);
    bool ok = true;
    for (unsigned z = 0; z < gz && ok; z++)
        for (unsigned y = 0; y < gy && ok; y++)
            for (unsigned x = 0; x < gx && ok; x++)
                ok = runBlock(x, y, z, sharedBytes);
    if (!ok)
    {
        resetWorkers();
        return fail(KernelFailed, k.name + " failed in block (" + std::to_string(g_builtins.block.x) + "," + std::to_string(g_builtins.block.y) + "," +
                                      std::to_string(g_builtins.block.z) + "): " + S.failure);
    }
    size_t end = static_cast<size_t>(sharedBytes) + kSharedGuard;
    if (end > CUDA_EMU_MAX_DYNAMIC_SHARED) end = CUDA_EMU_MAX_DYNAMIC_SHARED;
    for (auto address : dynamicShared())
    {
        const unsigned char* p = address();
        for (size_t i = static_cast<size_t>(sharedBytes); i < end; i++)
            if (p[i] != 0xff)
                return fail(KernelFailed, k.name + " wrote past its " + std::to_string(sharedBytes) + " bytes of dynamic shared memory (byte " + std::to_string(i) + ")");
    }
    return Ok;
}
}  // namespace

// ---- called by kernels through cuda_emu.h ------------------------------------------------------------

void sync_block()
{
    S.blockArrived++;
    if (S.blockArrived == S.live) releaseBlock();
    else
    {
        S.current->state = State::AtBlockBarrier;
        yield();
    }
}

int sync_block_reduce(int predicate, int op)
{
    S.reduceTrue += predicate;
    sync_block();
    if (op == 0) return S.resultTrue;
    if (op == 1) return S.resultTrue == S.resultArrived;
    return S.resultTrue > 0;
}

void sync_warp(unsigned mask) { warpBarrier(mask); }

unsigned long long shuffle(unsigned mask, unsigned long long value, int mode, unsigned b, unsigned c)
{
    Thread& t = *S.current;
    unsigned warpIndex = t.warp;
    S.warps[warpIndex].slots[t.lane] = value;
    warpBarrier(mask);
    // PTX shfl.sync: lane offsets and indices use 5 bits; c packs the clamp (bits 0-4) and segment mask (bits 8-12).
    int lane = t.lane, bval = static_cast<int>(b & 31), clamp = static_cast<int>(c & 31), segmask = static_cast<int>((c >> 8) & 31);
    int maxLane = (lane & segmask) | (clamp & ~segmask), minLane = lane & segmask, j;
    bool inRange;
    switch (mode)
    {
    case 0: j = lane - bval; inRange = j >= maxLane; break;
    case 1: j = lane + bval; inRange = j <= maxLane; break;
    case 2: j = lane ^ bval; inRange = j <= maxLane; break;
    default: j = minLane | (bval & ~segmask); inRange = j <= maxLane; break;
    }
    if (!inRange) j = lane;
    unsigned long long result = S.warps[warpIndex].slots[j];
    warpBarrier(mask);  // nobody overwrites a slot before every lane has read
    return result;
}

unsigned vote(unsigned mask, int predicate, int op)
{
    Thread& t = *S.current;
    unsigned warpIndex = t.warp;
    S.warps[warpIndex].slots[t.lane] = static_cast<unsigned long long>(predicate);
    warpBarrier(mask);
    unsigned participants = t.waitMask & S.warps[warpIndex].live, ballot = 0;
    for (unsigned m = participants; m != 0; m &= m - 1)
    {
        unsigned l = static_cast<unsigned>(__builtin_ctz(m));
        if (S.warps[warpIndex].slots[l] != 0) ballot |= 1u << l;
    }
    warpBarrier(mask);
    if (op == 0) return ballot;
    if (op == 1) return ballot != 0;
    return ballot == participants;
}

unsigned active_mask() { return S.warps[S.current->warp].live; }

void trap(const char* why)
{
    S.failed = true;
    S.failure = std::string(why) + " by thread (" + std::to_string(S.current->idx.x) + "," + std::to_string(S.current->idx.y) + "," +
                std::to_string(S.current->idx.z) + ")";
    yield();  // never resumed
    __builtin_trap();
}

long long clock_ticks()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void register_kernel(const char* name, void* kernel, Invoker invoke, int count, const int* sizes)
{
    if (kernelIds().count(name) != 0) return;
    kernelIds()[name] = static_cast<int>(kernels().size());
    kernels().push_back(Kernel{name, kernel, invoke, std::vector<int>(sizes, sizes + count)});
}

void register_dynamic_shared(unsigned char* (*address)()) { dynamicShared().push_back(address); }
}  // namespace cuda_emu

extern "C" void cuda_emu_fiber_main(Worker* w)
{
    for (;;)
    {
        Thread* t = w->thread;
        S.kernel->invoke(S.kernel->function, S.params);
        threadExit(*t);
        t->worker = nullptr;
        w->thread = nullptr;
        S.idle.push_back(w);
#ifdef CUDA_EMU_UCONTEXT
        swapcontext(&w->context, &S.schedulerContext);
#else
        cuda_emu_switch(&w->sp, S.schedulerSp);
#endif
    }
}

// ---- the library's C interface ---------------------------------------------------------------------------

/// Kernel id for an extern "C" kernel name, or -1.
EMU_EXPORT int emu_find_kernel(const char* name)
{
    auto it = kernelIds().find(name);
    return it == kernelIds().end() ? -1 : it->second;
}

/// Number of registered kernels.
EMU_EXPORT int emu_kernel_count() { return static_cast<int>(kernels().size()); }

/// Name of kernel `id`.
EMU_EXPORT const char* emu_kernel_name(int id)
{
    return id >= 0 && id < static_cast<int>(kernels().size()) ? kernels()[static_cast<size_t>(id)].name.c_str() : nullptr;
}

/// Writes the byte size of each parameter of kernel `id` (up to `capacity`) and returns their count (-1: no such kernel).
EMU_EXPORT int emu_kernel_params(int id, int* sizes, int capacity)
{
    if (id < 0 || id >= static_cast<int>(kernels().size())) return -1;
    const auto& s = kernels()[static_cast<size_t>(id)].sizes;
    for (size_t i = 0; i < s.size() && static_cast<int>(i) < capacity; i++) sizes[i] = s[i];
    return static_cast<int>(s.size());
}

/// Runs kernel `id` to completion; 0 on success, else an error code with emu_last_error() saying why.
EMU_EXPORT int emu_launch_id(int id, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, int sharedBytes, void** params)
{
    return launch(id, gx, gy, gz, bx, by, bz, sharedBytes, params);
}

/// Runs the kernel `name` (cuLaunchKernel's arguments); 1 when no such kernel exists.
EMU_EXPORT int emu_launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, int sharedBytes, void** params)
{
    int id = emu_find_kernel(name);
    if (id < 0) return fail(UnknownKernel, std::string("no kernel named ") + name + " in the emulated library");
    return launch(id, gx, gy, gz, bx, by, bz, sharedBytes, params);
}

/// The message of the last failed call on this OS thread.
EMU_EXPORT const char* emu_last_error() { return t_lastError.c_str(); }

/// Counters since load: launches, blocks, threads run, fiber switches.
EMU_EXPORT void emu_stats(unsigned long long* out)
{
    std::lock_guard<std::mutex> lock(g_mutex);
    out[0] = S.launches;
    out[1] = S.blocks;
    out[2] = S.threadsRun;
    out[3] = S.switches;
}
