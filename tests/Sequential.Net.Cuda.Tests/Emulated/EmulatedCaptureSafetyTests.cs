using SequentialNet.Backends;
using SequentialNet.Cuda.Native;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// Faults injected into the emulated device at each stage of whole-step capture (while recording, at the
/// end of the recording, at instantiation, during a replay) and at release: the model stays usable or falls
/// back to eager steps with the same results, and a Dispose after a device fault reports nothing new and
/// still tries to free everything.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedCaptureSafetyTests
{
    private static Sequential SmallMlp()
    {
        Utils.SetRandomSeed(11);
        var model = new Sequential(new Dense(16, activation: "relu", inputShape: [8]), new Dense(3, activation: "softmax"));
        model.Compile(optimizer: new Adam(), loss: "sparse_categorical_crossentropy", device: "cuda");
        return model;
    }

    private static (Tensor X, Tensor Y) SmallData()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 128 * 8).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 128).Select(i => i % 3).ToArray();
        return (new Tensor(x, 128, 8), Tensor.FromLabels(y));
    }

    [Test]
    public void AFailureWhileRecordingEndsTheCaptureAndTheModelStaysUsable()
    {
        RequireEmulator();
        var (x, y) = SmallData();
        bool injected = false;
        EmulatedDevice? device = null;
        OnEmulatedCuda(() =>
        {
            using var model = SmallMlp();
            var e = Assert.Throws<CudaException>(() => model.Fit(x, y, epochs: 1, batchSize: 32, verbose: 0))!;
            Assert.That(e.StatusName, Is.EqualTo("CUDA_ERROR_INVALID_VALUE"), "the failure itself propagates");
            Assert.That(device!.Capturing, Is.False, "the capture was ended");
            Assert.That(device.AbortedCaptures, Is.EqualTo(1));
            Assert.That(device.LiveCaptures, Is.Zero, "the partial recording was destroyed");
            // The same model trains (recording and replaying) and evaluates afterwards.
            var history = model.Fit(x, y, epochs: 2, batchSize: 32, verbose: 0);
            Assert.That(history["loss"].All(double.IsFinite));
            Assert.That(model.Evaluate(x, y, verbose: 0)["loss"], Is.GreaterThan(0).And.LessThan(10));
            Assert.That(device.CaptureCounts.Replayed, Is.GreaterThan(0));
        }, d =>
        {
            device = d;
            d.InjectFault = stage => d.Capturing && stage.StartsWith("launch:", StringComparison.Ordinal) && !injected && (injected = true)
                ? CUresult.CUDA_ERROR_INVALID_VALUE : null;
        });
        Assert.That(injected, Is.True, "the fault was injected during a recording");
    }

    [TestCase("end-capture", (int)CUresult.CUDA_ERROR_STREAM_CAPTURE_INVALIDATED)]
    [TestCase("instantiate", (int)CUresult.CUDA_ERROR_OUT_OF_MEMORY)]
    public void ARecordingThatCannotBeEndedFallsBackToEagerStepsWithTheSameResults(string stage, int code)
    {
        var status = (CUresult)code;
        RequireEmulator();
        var notices = new List<string>();
        var previous = StepCaptureGuard.Notice;
        StepCaptureGuard.Notice = notices.Add;
        int attempts = 0;
        try
        {
            var (problems, _, _, device) = SeedMlpRun.CompareWithCpu(12, EmulatedTrainingTests.LossRtol,
                d => d.InjectFault = s => s == stage && ++attempts > 0 ? status : null);
            Assert.That(problems, Is.Empty, string.Join("\n", problems));
            Assert.That(attempts, Is.EqualTo(1), "the shape is not recorded again after the failure");
            Assert.That(device.CaptureCounts.Recorded, Is.Zero);
            Assert.That(device.LiveCaptures, Is.Zero);
            Assert.That(device.Capturing, Is.False);
        }
        finally
        {
            StepCaptureGuard.Notice = previous;
        }
        Assert.That(notices, Has.Count.EqualTo(1), "one line");
        Assert.That(notices[0], Does.Contain("runs without one").And.Contain(status.ToString()).And.Not.Contain("\n"));
    }

    [Test]
    public void ADeviceFaultDuringAReplayIsReportedAndDisposeAddsNoSecondError()
    {
        RequireEmulator();
        var (x, y) = SmallData();
        EmulatedDevice? device = null;
        OnEmulatedCuda(() =>
        {
            var model = SmallMlp();
            var e = Assert.Throws<CudaException>(() => model.Fit(x, y, epochs: 1, batchSize: 32, verbose: 0))!;
            Assert.That(e.StatusName, Is.EqualTo("CUDA_ERROR_ILLEGAL_ADDRESS"));
            Assert.That(device!.Fault, Is.SameAs(e));
            Assert.That(() => model.Dispose(), Throws.Nothing, "the fault was reported; the frees that fail because of it add nothing");
            Assert.That(device.NeverFreedAtDispose, Is.Zero, "every allocation's free was tried before the device went");
        }, d =>
        {
            device = d;
            d.InjectFault = stage => stage == "replay" ? CUresult.CUDA_ERROR_ILLEGAL_ADDRESS : null;
        });
    }

    [Test]
    public void BackendDisposeAfterAFaultTriesEveryReleaseAndThrowsNothing()
    {
        RequireEmulator();
        using var device = new EmulatedDevice();
        var backend = new CudaBackend(device, ownsDevice: false);
        var buffers = Enumerable.Range(0, 3).Select(_ => backend.Allocate(64)).ToArray();
        backend.BeginCapture();
        backend.Fill(buffers[0], 1f);
        nint recorded = backend.EndCapture();
        device.InjectFault = stage => stage == "replay" ? CUresult.CUDA_ERROR_LAUNCH_FAILED : null;
        Assert.That(() => backend.Replay(recorded), Throws.TypeOf<CudaException>().With.Property(nameof(CudaException.StatusName)).EqualTo("CUDA_ERROR_LAUNCH_FAILED"));
        Assert.That(() => buffers[1].Dispose(), Throws.Nothing, "a buffer freed after the fault");
        Assert.That(() => backend.Dispose(), Throws.Nothing);
        Assert.That(device.FreeAttempts, Is.EqualTo(5), "the three buffers, the scratch buffer and the convolution workspace");
    }

    [Test]
    public void BackendDisposeWithoutAnEarlierFaultFreesTheRestAndThenThrowsTheFirstFailure()
    {
        RequireEmulator();
        using var device = new EmulatedDevice();
        var backend = new CudaBackend(device, ownsDevice: false);
        for (int i = 0; i < 3; i++) backend.Allocate(64);
        int frees = 0;
        device.InjectFault = stage => stage == "free" && ++frees == 1 ? CUresult.CUDA_ERROR_INVALID_VALUE : null;
        Assert.That(() => backend.Dispose(), Throws.TypeOf<CudaException>());
        Assert.That(device.FreeAttempts, Is.EqualTo(5), "the failure did not stop the other releases (three buffers, scratch, convolution workspace)");
        Assert.That(device.LiveAllocations, Is.EqualTo(1), "only the allocation whose free failed is left");
    }
}
