using SequentialNet.Backends;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// A learning-rate schedule in a recorded (captured) training step: SGD on one weight (x = 1, y = 0, MSE,
/// so w ← w·(1 − 2·lr(t))) for 8 steps of batch 1 on the emulated device, where steps 3.. are replays of
/// one recording. The weight follows the schedule step by step, which a rate fixed at record time would not.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedScheduledTrainingTests
{
    [Test]
    public void ReplayedStepsFollowTheSchedule()
    {
        RequireEmulator();
        const int steps = 8;
        var schedule = new PiecewiseConstantDecay([2, 4, 5], [0.1, 0.05, 0.2, 0.01]);
        double expected = 0.75;
        for (int t = 0; t < steps; t++) expected *= 1 - 2 * (float)schedule.Evaluate(t);

        var device = OnEmulatedCuda(() =>
        {
            using var model = new Sequential(new Dense(1, useBias: false, inputShape: [1]));
            model.Compile(optimizer: new SGD(schedule), loss: "mse", device: "cuda");
            model.SetWeights([new Tensor([0.75f], 1, 1)]);
            model.Fit(new Tensor(Enumerable.Repeat(1f, steps).ToArray(), steps, 1), new Tensor(new float[steps], steps, 1), batchSize: 1, epochs: 1, verbose: 0);
            Assert.That(model.GetWeights()[0].Data[0], Is.EqualTo(expected).Within(1e-6));
            Assert.That(model.Optimizer!.Iterations, Is.EqualTo(steps));
        });
        if (Environment.GetEnvironmentVariable("SEQUENTIAL_NET_CAPTURE") != "0")
            Assert.That(device!.CaptureCounts.Replayed, Is.GreaterThanOrEqualTo(steps - 2), "the steps ran as replays of a recorded step");
    }
}
