using SequentialNet.Backends;

namespace SequentialNet.Benchmark;

/// <summary>Backend buffers of uniform values in [−0.5, 0.5) for the kernel benchmarks (a fixed seed per caller).</summary>
internal static class RandomBuffers
{
    /// <summary>A buffer of <paramref name="n"/> floats drawn from <paramref name="random"/>.</summary>
    public static DeviceBuffer Filled(IBackend backend, Random random, long n)
    {
        var b = backend.Allocate(checked((int)n));
        backend.Upload(Enumerable.Range(0, (int)n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), b);
        return b;
    }
}
