namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// After the Emulated tests: lists the kernels of kernels/*.cu that none of them launched, so a kernel
/// that only a real GPU would ever run does not go unnoticed (a report on the test output, not a failure).
/// </summary>
[SetUpFixture]
public class KernelCoverageReport
{
    [OneTimeTearDown]
    public void Report()
    {
        if (EmulatedLibrary.UnavailableReason != null || EmulatedDevice.LaunchedKernels.Count == 0) return;
        var launched = EmulatedDevice.LaunchedKernels.ToHashSet();
        var kernels = EmulatedLibrary.KernelNames().Where(k => !k.StartsWith("emu_", StringComparison.Ordinal)).ToList();
        var missed = kernels.Where(k => !launched.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        TestContext.Progress.WriteLine(missed.Count == 0
            ? $"Emulated tests launched all {kernels.Count} kernels of kernels/*.cu."
            : $"Emulated tests launched {kernels.Count - missed.Count} of {kernels.Count} kernels of kernels/*.cu; never launched: {string.Join(", ", missed)}");
    }
}
