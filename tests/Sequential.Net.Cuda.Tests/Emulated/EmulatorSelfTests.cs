using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The emulator itself (kernels/cuda_emu.h and cuda_emu_runtime.cpp) on the test-only kernels of
/// Emulated/emu_selftest.cu: barriers and shared memory, warp shuffles with CUDA's documented semantics,
/// votes, atomics, built-in indices, and the failures it must report rather than hide.
/// </summary>
[Category("Emulated")]
public class EmulatorSelfTests
{
    private EmulatedDevice _device = null!;

    [SetUp]
    public void SetUp()
    {
        RequireEmulator();
        _device = new EmulatedDevice();
    }

    [TearDown]
    public void TearDown() => _device?.Dispose();

    /// <summary>Σ x[i] over block b's grid-stride share, in double.</summary>
    private static double[] BlockShares(float[] x, int blocks, int threads)
    {
        var sums = new double[blocks];
        for (int i = 0; i < x.Length; i++) sums[i / threads % blocks] += x[i];
        return sums;
    }

    private static void AssertClose(double expected, double actual, double rtol, string what)
        => Assert.That(Math.Abs(actual - expected), Is.LessThanOrEqualTo(1e-6 + rtol * Math.Abs(expected)), $"{what}: {actual} vs {expected}");

    [TestCase("emu_block_sum", 256, 0)]
    [TestCase("emu_dynamic_block_sum", 128, 128 * 4)]
    [TestCase("emu_dynamic_block_sum", 1024, 1024 * 4)]
    [TestCase("emu_block_sum_shuffle", 96, 0)]
    [TestCase("emu_block_sum_shuffle", 1024, 0)]
    public void BlockReductionsWithSharedMemoryAndBarriers(string kernel, int threads, int sharedBytes)
    {
        const int n = 10007, blocks = 7;
        float[] x = RandomFloats(n, seed: threads);
        ulong px = Upload(_device, x), pout = Poisoned<float>(_device, blocks);
        Launch(_device, kernel, new Dim3(blocks), new Dim3((uint)threads), sharedBytes, px, pout, n);
        float[] partial = Download<float>(_device, pout, blocks);
        double[] expected = BlockShares(x, blocks, threads);
        for (int b = 0; b < blocks; b++) AssertClose(expected[b], partial[b], 1e-5, $"{kernel} block {b}");
    }

    [Test]
    public void WarpShuffleReductions()
    {
        const int threads = 64, blocks = 3, n = threads * blocks;
        float[] x = RandomFloats(n, seed: 5);
        ulong px = Upload(_device, x), warpSums = Poisoned<float>(_device, n / 32), all = Poisoned<float>(_device, n);
        Launch(_device, "emu_warp_sum", new Dim3(blocks), new Dim3(threads), 0, px, warpSums, all);
        float[] sums = Download<float>(_device, warpSums, n / 32), allReduce = Download<float>(_device, all, n);
        for (int w = 0; w < n / 32; w++)
        {
            double expected = x.Skip(32 * w).Take(32).Sum(v => (double)v);
            AssertClose(expected, sums[w], 1e-5, $"shfl_down sum of warp {w}");
            for (int lane = 0; lane < 32; lane++)
                Assert.That(allReduce[32 * w + lane], Is.EqualTo(allReduce[32 * w]), $"xor all-reduce: every lane of warp {w} holds the same bits");
            AssertClose(expected, allReduce[32 * w], 1e-5, $"xor all-reduce of warp {w}");
        }
    }

    /// <summary>CUDA's documented shuffle semantics (Programming Guide, warp shuffle functions), written independently of the PTX form the emulator uses.</summary>
    private static int Expected(int mode, int t, int width, int src, int delta, int laneMask)
    {
        int lane = t % 32, warpBase = t - lane, segment = lane / width * width;
        int source = mode switch
        {
            0 => segment + ((src % width) + width) % width,                      // idx: srcLane modulo width, within the subsection
            1 => lane - segment >= delta ? lane - delta : lane,                  // up: the lower delta lanes keep their value
            2 => lane - segment + delta < width ? lane + delta : lane,           // down: the upper delta lanes keep their value
            _ => (lane ^ laneMask) / width > lane / width ? lane : lane ^ laneMask, // xor: a later group gives back the own value
        };
        return 1000 + warpBase + source;
    }

    [TestCase(32, 5, 3, 7)]
    [TestCase(32, 40, 31, 31)]
    [TestCase(16, 21, 5, 9)]
    [TestCase(8, 3, 2, 12)]
    [TestCase(4, -1, 1, 2)]
    public void ShuffleModesMatchCudaSemantics(int width, int src, int delta, int laneMask)
    {
        const int threads = 64;
        ulong pout = Poisoned<int>(_device, 4 * threads);
        Launch(_device, "emu_shuffle_modes", new Dim3(1), new Dim3(threads), 0, pout, width, src, (uint)delta, laneMask);
        int[] result = Download<int>(_device, pout, 4 * threads);
        string[] modes = ["__shfl_sync", "__shfl_up_sync", "__shfl_down_sync", "__shfl_xor_sync"];
        for (int t = 0; t < threads; t++)
            for (int mode = 0; mode < 4; mode++)
                Assert.That(result[4 * t + mode], Is.EqualTo(Expected(mode, t, width, src, delta, laneMask)), $"{modes[mode]} at thread {t}, width {width}");
    }

    [Test]
    public void SixtyFourBitShufflesInAPartialWarp()
    {
        const int threads = 40;   // the second warp has 8 lanes
        ulong pd = Poisoned<double>(_device, threads), pb = Poisoned<ulong>(_device, threads);
        Launch(_device, "emu_shuffle_wide", new Dim3(1), new Dim3(threads), 0, pd, pb);
        double[] d = Download<double>(_device, pd, threads);
        ulong[] bits = Download<ulong>(_device, pb, threads);
        for (int t = 0; t < threads; t++)
        {
            Assert.That(d[t], Is.EqualTo(0.5 + t / 32 * 32), $"double broadcast from lane 0, thread {t}");
            Assert.That(bits[t], Is.EqualTo(0x100000000ul * (ulong)(t ^ 1) + 7), $"64-bit xor shuffle, thread {t}");
        }
    }

    [Test]
    public void Atomics()
    {
        const int n = 5003;
        float[] x = RandomFloats(n, seed: 11);
        ulong px = Upload(_device, x);
        ulong fsum = Upload(_device, new[] { 0f }), isum = Upload(_device, new[] { 0 }), usum = Upload(_device, new[] { 0u });
        ulong imax = Upload(_device, new[] { int.MinValue }), ullsum = Upload(_device, new[] { 0ul });
        Launch(_device, "emu_atomics", new Dim3(8), new Dim3(128), 0, px, n, fsum, isum, usum, imax, ullsum);
        AssertClose(x.Sum(v => (double)v), Download<float>(_device, fsum, 1)[0], 1e-4, "atomicAdd(float)");
        Assert.That(Download<int>(_device, isum, 1)[0], Is.EqualTo(n * (n - 1) / 2), "atomicAdd(int)");
        Assert.That(Download<uint>(_device, usum, 1)[0], Is.EqualTo(2u * n), "atomicAdd(unsigned)");
        Assert.That(Download<int>(_device, imax, 1)[0], Is.EqualTo(Enumerable.Range(0, n).Max(i => i * 7919 % 1000)), "atomicMax(int)");
        Assert.That(Download<ulong>(_device, ullsum, 1)[0], Is.EqualTo((ulong)n << 33), "atomicAdd(unsigned long long)");
    }

    [Test]
    public void VotesAndBarrierReductions()
    {
        const int threads = 96;
        ulong pout = Poisoned<uint>(_device, 3 * 6);
        Launch(_device, "emu_votes", new Dim3(1), new Dim3(threads), 0, pout);
        uint[] r = Download<uint>(_device, pout, 18);
        for (int w = 0; w < 3; w++)
            Assert.That(r.Skip(6 * w).Take(6), Is.EqualTo(new uint[] { 0xAAAAAAAAu, 1, 1, 32, 1, 1 }), $"warp {w}: ballot, any, all, count, and, or");
    }

    [Test]
    public void BuiltInIndicesIn3D()
    {
        var grid = new Dim3(3, 2, 2);
        var block = new Dim3(4, 3, 2);
        int total = 3 * 2 * 2 * 4 * 3 * 2;
        ulong pout = Poisoned<int>(_device, 2 * total);
        Launch(_device, "emu_indices", grid, block, 0, pout);
        int[] r = Download<int>(_device, pout, 2 * total);
        int dims = (4 * 10000 + 3 * 100 + 2) ^ (3 * 1000000 + 2 * 1000 + 2);
        for (int i = 0; i < total; i++)
        {
            Assert.That(r[2 * i], Is.EqualTo(i), $"global index {i} written once, by its own thread");
            Assert.That(r[2 * i + 1], Is.EqualTo(dims), "blockDim and gridDim");
        }
    }

    [Test]
    public void ExitedThreadsDoNotHoldUpBarriers()
    {
        int[] x = Enumerable.Range(1, 64).ToArray();
        ulong px = Upload(_device, x), pout = Poisoned<int>(_device, 64);
        Launch(_device, "emu_early_exit", new Dim3(1), new Dim3(64), 0, px, pout, 40);
        int[] r = Download<int>(_device, pout, 64);
        Assert.That(r.Take(40), Is.All.EqualTo(40 * 41 / 2));
        Assert.That(r.Skip(40), Is.All.EqualTo(-1), "threads that returned early wrote nothing");
    }

    [Test]
    public void SharedMemoryStartsPoisoned()
    {
        ulong pout = Poisoned<float>(_device, 32);
        Upload(_device, new float[1]);
        Launch(_device, "emu_shared_uninitialised", new Dim3(2), new Dim3(32), 32 * 4, pout);
        Assert.That(Download<float>(_device, pout, 32), Is.All.NaN, "dynamic shared memory nobody wrote reads as NaN");
    }

    [Test]
    public void MathNamesOfTheCudaSubset()
    {
        float[] x = RandomFloats(32, seed: 3);
        ulong px = Upload(_device, x), py = Poisoned<float>(_device, 32), pu = Poisoned<uint>(_device, 32);
        Launch(_device, "emu_math", new Dim3(1), new Dim3(32), 0, px, py, pu);
        Assert.That(Download<float>(_device, py, 32), Is.All.Not.NaN);
        uint[] u = Download<uint>(_device, pu, 32);
        for (int t = 0; t < 32; t++)
            Assert.That(u[t], Is.EqualTo((uint)((0x9E3779B9ul * (ulong)(t + 1)) >> 32) ^ BitConverter.SingleToUInt32Bits(x[t])), "__umulhi and __float_as_uint");
    }

    [Test]
    public void TrapIsReported()
    {
        ulong pout = Poisoned<int>(_device, 64);
        var e = Assert.Throws<InvalidOperationException>(() => Launch(_device, "emu_trap", new Dim3(1), new Dim3(64), 0, pout))!;
        Assert.That(e.Message, Does.Contain("__trap() called by thread (5,0,0)"));
        Launch(_device, "emu_early_exit", new Dim3(1), new Dim3(64), 0, Upload(_device, new int[64]), pout, 64);   // fibers reset: the emulator still works
        Assert.That(Download<int>(_device, pout, 64), Is.All.EqualTo(0));
    }

    [Test]
    public void DeadlockIsReported()
    {
        ulong pout = Poisoned<int>(_device, 64);
        var e = Assert.Throws<InvalidOperationException>(() => Launch(_device, "emu_deadlock", new Dim3(1), new Dim3(64), 0, pout))!;
        Assert.That(e.Message, Does.Contain("deadlock"));
    }

    [Test]
    public void WritingPastDynamicSharedMemoryIsReported()
    {
        Launch(_device, "emu_shared_overrun", new Dim3(1), new Dim3(32), 64 * 4, 63);
        var e = Assert.Throws<InvalidOperationException>(() => Launch(_device, "emu_shared_overrun", new Dim3(1), new Dim3(32), 64 * 4, 64))!;
        Assert.That(e.Message, Does.Contain("wrote past its 256 bytes of dynamic shared memory"));
    }

    [TestCase(1u, 2048u, 0, TestName = "Block of 2048 threads")]
    [TestCase(0u, 32u, 0, TestName = "Empty grid")]
    [TestCase(1u, 32u, 65536, TestName = "64 KB of dynamic shared memory")]
    public void InvalidLaunchConfigurationsAreRejected(uint grid, uint block, int sharedBytes)
    {
        ulong pout = Poisoned<float>(_device, 1);
        var e = Assert.Throws<InvalidOperationException>(() => Launch(_device, "emu_block_sum", new Dim3(grid), new Dim3(block), sharedBytes, pout, pout, 0))!;
        Assert.That(e.Message, Does.Contain("invalid launch configuration"));
    }

    [Test]
    public void UnknownKernelIsRejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Launch(_device, "no_such_kernel_f32", new Dim3(1), new Dim3(1), 0))!;
        Assert.That(e.Message, Does.Contain("no_such_kernel_f32"));
    }

    [Test]
    public void LibraryHoldsTheKernelsOfEveryFamily()
    {
        var names = EmulatedLibrary.KernelNames();
        Assert.That(names, Does.Contain("emu_block_sum"));
        Assert.That(names.Count(n => n.EndsWith("_f32", StringComparison.Ordinal)), Is.GreaterThan(0), "kernels/*.cu were compiled in");
        Assert.That(EmulatedLibrary.ParameterSizes(EmulatedLibrary.FindKernel("emu_scale_one_per_thread")), Is.EqualTo(new[] { 8, 8, 4, 4 }));
    }
}
