// Device-resident counters (optimizer step, data cursors, epoch): written by one-thread kernels rather
// than host copies, so the updates are stream-ordered, need no host memory to outlive the call, and can
// be captured into a replayed training step.
#include "common.cuh"

// counters[slot] += delta.
extern "C" __global__ void counter_add_i32(int* counters, int slot, int delta)
{
    if (blockIdx.x == 0u && threadIdx.x == 0u) counters[slot] += delta;
}

// counters[slot] = value.
extern "C" __global__ void counter_set_i32(int* counters, int slot, int value)
{
    if (blockIdx.x == 0u && threadIdx.x == 0u) counters[slot] = value;
}
