namespace SequentialNet.Cuda.Tests;

/// <summary>Skips a [Category("Gpu")] test, with the reason, where no usable GPU exists.</summary>
internal static class GpuRequirement
{
    /// <summary>Calls Assert.Ignore("no usable GPU: …") unless CUDA device 0 can be used.</summary>
    public static void RequireGpu()
    {
        if (!CudaDevice.IsAvailable(out string reason)) Assert.Ignore("no usable GPU: " + reason);
    }
}
