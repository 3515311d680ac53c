using System.Numerics.Tensors;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The deterministic gradient sums of the kernel-gradient jobs (implicit GEMM, grouped, fused conv-pool, Winograd):
/// one partial per fixed segment of rows or tiles, each written by one part of the job, then added in segment order,
/// so the result does not depend on which worker ran which segment. One per thread (native memory, grows only).
/// </summary>
internal sealed unsafe class SegmentPartials
{
    private readonly ConvPatches.NativeBlock _storage = new();
    private long _length;

    /// <summary>Segment <paramref name="segment"/>'s partial: <c>length</c> floats that its part of the job writes.</summary>
    public float* Of(int segment) => _storage.Pointer + segment * _length;

    /// <summary>
    /// Runs <paramref name="job"/> with one part per segment (each writing <see cref="Of"/>(part)), then sums the
    /// partials in segment order into the first one and returns it.
    /// </summary>
    public float* Run(CpuJob job, int segments, long length)
    {
        _storage.Ensure(segments * length);
        _length = length;
        CpuWorkers.Run(job, segments);
        float* total = _storage.Pointer;
        var sum = new Span<float>(total, checked((int)length));
        for (int s = 1; s < segments; s++)
            TensorPrimitives.Add(sum, new ReadOnlySpan<float>(Of(s), sum.Length), sum);
        return total;
    }

    /// <summary><see cref="Run"/>, then the sum copied to <paramref name="destination"/>.</summary>
    public void RunInto(CpuJob job, int segments, long length, float* destination)
    {
        float* total = Run(job, segments, length);
        new ReadOnlySpan<float>(total, checked((int)length)).CopyTo(new Span<float>(destination, checked((int)length)));
    }
}
