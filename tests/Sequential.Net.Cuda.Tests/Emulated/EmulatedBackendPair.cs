using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// Base of the primitive-level tests: a fresh CPU backend and a CUDA backend over the emulated device for
/// every test, disposed after it, so each primitive can be called on both with the same inputs.
/// </summary>
public abstract class EmulatedBackendPair
{
    /// <summary>The reference backend.</summary>
    protected CpuBackend Cpu { get; private set; } = null!;

    /// <summary>The CUDA backend running the real kernels on the emulated device.</summary>
    protected CudaBackend Emu { get; private set; } = null!;

    [SetUp]
    public void CreateBackends()
    {
        RequireEmulator();
        Cpu = new CpuBackend();
        Emu = new CudaBackend(new EmulatedDevice());
    }

    [TearDown]
    public void DisposeBackends()
    {
        Emu?.Dispose();
        Cpu?.Dispose();
    }

    /// <summary>A buffer on each backend.</summary>
    protected readonly record struct Pair(DeviceBuffer Cpu, DeviceBuffer Emu)
    {
        /// <summary>This pair's buffer on <paramref name="backend"/>.</summary>
        public DeviceBuffer On(IBackend backend) => backend is CpuBackend ? Cpu : Emu;
    }

    /// <summary>The same values on both backends.</summary>
    protected Pair Floats(float[] values)
    {
        var pair = new Pair(Cpu.Allocate(values.Length), Emu.Allocate(values.Length));
        Cpu.Upload(values, pair.Cpu);
        Emu.Upload(values, pair.Emu);
        return pair;
    }

    /// <summary>A NaN-filled buffer on both backends (an element a kernel forgets to write stays NaN).</summary>
    protected Pair Poison(int length)
    {
        var pair = new Pair(Cpu.Allocate(length), Emu.Allocate(length));
        Cpu.Fill(pair.Cpu, float.NaN);
        Emu.Fill(pair.Emu, float.NaN);
        return pair;
    }

    /// <summary>
    /// Asserts the emulated values equal the CPU's within atol <see cref="Parity.Atol"/> and
    /// <paramref name="rtol"/> (NaN never passes); returns the emulated values.
    /// </summary>
    protected float[] AssertSame(Pair pair, double rtol, string what)
    {
        var expected = new float[pair.Cpu.Length];
        var actual = new float[pair.Emu.Length];
        Cpu.Download(pair.Cpu, expected);
        Emu.Download(pair.Emu, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.That(!float.IsNaN(actual[i]) && Math.Abs(actual[i] - expected[i]) <= Parity.Atol + rtol * Math.Abs(expected[i]),
                $"{what} element {i}: emulated {actual[i]:R} vs CPU {expected[i]:R}");
        return actual;
    }

    /// <summary>
    /// Runs <paramref name="primitive"/>(backend, src, dst, counters) on each backend, with src holding
    /// <paramref name="input"/>, dst (<paramref name="outputLength"/> floats) filled with NaN and the optimizer
    /// step counter at <paramref name="step"/> (the augmentation primitives draw from it); returns both outputs.
    /// </summary>
    protected (float[] Cpu, float[] Emulated) RunAtStep(float[] input, int outputLength, int step, Action<IBackend, DeviceBuffer, DeviceBuffer, DeviceBuffer> primitive)
    {
        float[] Run(IBackend backend)
        {
            using var src = backend.Allocate(input.Length);
            using var dst = backend.Allocate(outputLength);
            using var counters = backend.AllocateInt(StateSlots.CounterCount);
            var state = new int[StateSlots.CounterCount];
            state[StateSlots.OptimizerStep] = step;
            backend.UploadInt(state, counters);
            backend.Upload(input, src);
            backend.Fill(dst, float.NaN);
            primitive(backend, src, dst, counters);
            var output = new float[outputLength];
            backend.Download(dst, output);
            return output;
        }
        return (Run(Cpu), Run(Emu));
    }
}
