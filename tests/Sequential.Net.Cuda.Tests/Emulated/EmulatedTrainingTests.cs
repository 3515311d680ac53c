using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// 30 training steps of the seed MLP on the emulated device (the real kernels and CudaBackend, through
/// Compile(device: "cuda"), recorded once and replayed as whole steps) against the CPU backend with the
/// same seed: the losses agree step by step and the final weights agree.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedTrainingTests
{
    /// <summary>Steps of the check (one epoch of 960 rows); the wrong-launch test runs the same check.</summary>
    public const int Steps = 30;

    /// <summary>
    /// rtol 1e-4 (docs/testing.md's GEMM/reduction tolerance) on per-step losses recovered from running means; the
    /// two runs drift apart only by rounding that Adam carries from step to step.
    /// </summary>
    public const double LossRtol = 1e-4;

    [Test]
    public void SeedMlpLossesMatchTheCpuFor30Steps()
    {
        RequireEmulator();
        var (problems, cpuLosses, emuLosses, device) = SeedMlpRun.CompareWithCpu(Steps, LossRtol);
        TestContext.Out.WriteLine("step  cpu loss              emulated loss");
        for (int s = 0; s < cpuLosses.Length; s++) TestContext.Out.WriteLine($"{s,4}  {cpuLosses[s],-20:R}  {emuLosses[s]:R}");
        Assert.That(cpuLosses, Has.Length.EqualTo(Steps));
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        Assert.That(emuLosses.TakeLast(5).Average(), Is.LessThan(emuLosses.Take(5).Average()), "it learns");
        // Fit runs a step shape eagerly once, records it the second time and replays it after that
        // (whole-step capture, unless SEQUENTIAL_NET_CAPTURE=0): the replays must give the same losses.
        TestContext.Out.WriteLine($"captures recorded {device.CaptureCounts.Recorded}, replayed {device.CaptureCounts.Replayed}");
        if (Environment.GetEnvironmentVariable("SEQUENTIAL_NET_CAPTURE") != "0")
            Assert.That(device.CaptureCounts.Replayed, Is.GreaterThanOrEqualTo(Steps - 1), "the training steps ran as replays of a recorded step");
    }
}
