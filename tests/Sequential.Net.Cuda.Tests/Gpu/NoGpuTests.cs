using SequentialNet.Backends;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Cuda.Tests;

/// <summary>
/// The CUDA backend on a machine WITHOUT a usable GPU (most development machines and CI): asking for
/// "cuda" is a clear error that says what is missing, and the automatic choice falls back to the CPU.
/// Ignored where a GPU works (the Gpu tests cover that case).
/// </summary>
[Category("Gpu"), NonParallelizable]
public class NoGpuTests
{
    private static string RequireNoGpu()
    {
        if (CudaDevice.IsAvailable(out string reason)) Assert.Ignore("a usable GPU is present: these checks are for machines without one");
        Assert.That(reason, Is.Not.Empty, "IsAvailable gives the reason");
        return reason;
    }

    private static Sequential Mlp() => new(new Dense(8, activation: "relu", inputShape: [4]), new Dense(3, activation: "softmax"));

    [Test]
    public void CompileOnCudaWithoutAGpuRaisesAClearError()
    {
        string reason = RequireNoGpu();
        using var model = Mlp();
        var e = Assert.Throws<InvalidOperationException>(() => model.Compile(optimizer: new Adam(), loss: "sparse_categorical_crossentropy", device: "cuda"))!;
        Assert.That(e.Message, Does.Contain("\"cuda\"").And.Contain(reason), "names the device and the reason");
        Assert.That(e.Message, Does.Contain("cpu"), "says how to run anyway");
        TestContext.Out.WriteLine(e.Message);
    }

    [Test]
    public void SequentialDeviceCudaWithoutAGpuRaisesAClearError()
    {
        string reason = RequireNoGpu();
        string? saved = Environment.GetEnvironmentVariable("SEQUENTIAL_DEVICE");
        Environment.SetEnvironmentVariable("SEQUENTIAL_DEVICE", "cuda:0");
        try
        {
            using var model = Mlp();
            var e = Assert.Throws<InvalidOperationException>(() => model.Compile(optimizer: new Adam(), loss: "sparse_categorical_crossentropy"))!;
            Assert.That(e.Message, Does.Contain("\"cuda:0\"").And.Contain(reason));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SEQUENTIAL_DEVICE", saved);
        }
    }

    [Test]
    public void MissingLibraryIsNeverADllNotFoundException()
    {
        RequireNoGpu();
        Assert.That(() => Devices.Create("cuda"), Throws.InstanceOf<InvalidOperationException>());
        Assert.That(() => CudaDevice.Create(0, allowTf32: false), Throws.InstanceOf<InvalidOperationException>());
    }

    [Test]
    public void AutomaticChoiceFindsTheCudaBackendAndFallsBackToTheCpu()
    {
        RequireNoGpu();
        string? saved = Environment.GetEnvironmentVariable("SEQUENTIAL_DEVICE");
        Environment.SetEnvironmentVariable("SEQUENTIAL_DEVICE", null);
        try
        {
            using var backend = Devices.Create();
            Assert.That(Devices.CudaFactory, Is.Not.Null, "Sequential.Net.Cuda was discovered without Register()");
            Assert.That(backend, Is.InstanceOf<SequentialNet.Backends.Cpu.CpuBackend>());
        }
        finally
        {
            Environment.SetEnvironmentVariable("SEQUENTIAL_DEVICE", saved);
        }
    }
}
