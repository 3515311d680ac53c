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
}
