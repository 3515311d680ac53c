using SequentialNet.Cuda.Native;

namespace SequentialNet.Cuda.Tests;

/// <summary>What a failed native call reports; no GPU needed.</summary>
public class CudaErrorTests
{
    [Test]
    public void ExceptionNamesTheCallTheStatusAndTheDescription()
    {
        var e = new CudaException("CUDA driver", "cuMemAlloc_v2", 2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory", "CudaDriver.cuMemAlloc_v2(&p, n)");
        Assert.That(e.Message, Does.Contain("cuMemAlloc_v2").And.Contain("CUDA_ERROR_OUT_OF_MEMORY (2)").And.Contain("out of memory"));
        Assert.That(e, Is.InstanceOf<InvalidOperationException>(), "the automatic device choice falls back on it");
    }

    [TestCase("CudaDriver.cuLaunchKernel(f, 1, 1, 1)", "cuLaunchKernel")]
    [TestCase("Cublas.cublasSgemm_v2(h, 0, 0)", "cublasSgemm_v2")]
    [TestCase("nvrtcCompileProgram(prog, 2, options)", "nvrtcCompileProgram")]
    [TestCase("cuInit", "cuInit")]
    public void FunctionNameComesFromTheCallExpression(string call, string function)
        => Assert.That(CudaException.FunctionName(call), Is.EqualTo(function));

    [Test]
    public void NvrtcThrowIfFailedUsesNvrtcsErrorString()
    {
        NvrtcCompileTests.RequireNvrtc();
        var e = Assert.Throws<CudaException>(() => Nvrtc.ThrowIfFailed(nvrtcResult.NVRTC_ERROR_INVALID_OPTION))!;
        Assert.That(e.Function, Is.EqualTo("nvrtcResult.NVRTC_ERROR_INVALID_OPTION").Or.EqualTo("NVRTC_ERROR_INVALID_OPTION"));
        Assert.That(e.Message, Does.Contain("NVRTC_ERROR_INVALID_OPTION (5)"));
        Assert.That(e.Library, Is.EqualTo("NVRTC"));
    }
}
