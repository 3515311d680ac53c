using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// Host synchronizations counted in the device layer (<see cref="EmulatedDevice.HostSynchronizations"/>):
/// Predict keeps every batch's outputs on the device and reads them back once, whatever the batch count,
/// and its result is the same as the CPU backend's; Fit with the progress bar reads back only when the bar draws.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedHostSyncTests
{
    [Test]
    public void FitWithTheProgressBarReadsBackOnlyWhenTheBarDraws()
    {
        // Before, verbose 1 read the running metrics back after every step (one host synchronization per step).
        // Now the bar's reads follow its redraws (at most every 50 ms, every second when output is redirected),
        // so beyond what verbose 0 reads (epoch-end logs, the step count, the weights) at most one more per 50 ms.
        RequireEmulator();
        const int rows = 400 * 8;
        var random = new Random(9);
        var x = new Tensor(Enumerable.Range(0, rows * 4).Select(_ => (float)random.NextDouble()).ToArray(), rows, 4);
        var y = Tensor.FromLabels(Enumerable.Range(0, rows).Select(i => i % 3).ToArray());
        (int Syncs, double Seconds) Fit(int verbose)
        {
            EmulatedDevice? device = null;
            int syncs = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            OnEmulatedCuda(() =>
            {
                using var model = new Sequential(new Dense(8, activation: "relu", inputShape: [4]), new Dense(3, activation: "softmax"));
                model.Compile(optimizer: new Adam(), loss: "sparse_categorical_crossentropy", device: "cuda");
                int before = device!.HostSynchronizations;
                clock.Restart();
                model.Fit(x, y, epochs: 1, batchSize: 8, verbose: verbose);
                syncs = device.HostSynchronizations - before;
            }, d => device = d);
            return (syncs, clock.Elapsed.TotalSeconds);
        }
        var (silent, _) = Fit(0);
        var (withBar, seconds) = Fit(1);
        int extra = withBar - silent;
        TestContext.Out.WriteLine($"400 steps: {silent} synchronizations with verbose 0, {withBar} with verbose 1, in {seconds:F2} s");
        Assert.That(extra, Is.LessThanOrEqualTo(1 + (int)(seconds / 0.05)), "one read back per redraw at most");
        Assert.That(extra, Is.LessThan(400), "not one per step");
    }

    [TestCase(1000, 1000)]
    [TestCase(1000, 64)]
    [TestCase(37, 5)]
    public void PredictSynchronizesOncePerCall(int rows, int batchSize)
    {
        RequireEmulator();
        var random = new Random(rows + batchSize);
        var x = new Tensor(Enumerable.Range(0, rows * 6).Select(_ => (float)random.NextDouble()).ToArray(), rows, 6);
        Tensor Predict(string device, Func<EmulatedDevice?> emulated, out int syncs)
        {
            Utils.SetRandomSeed(3);
            using var model = new Sequential(new Dense(16, activation: "relu", inputShape: [6]), new Dense(4, activation: "softmax"));
            model.Compile(optimizer: new Adam(), loss: "sparse_categorical_crossentropy", device: device);
            model.Predict(x, batchSize: batchSize);   // first call: plans lowered, steps recorded
            int before = emulated()?.HostSynchronizations ?? 0;
            var result = model.Predict(x, batchSize: batchSize);
            syncs = (emulated()?.HostSynchronizations ?? 0) - before;
            return result;
        }
        var expected = Predict("cpu", () => null, out _);
        EmulatedDevice? device = null;
        Tensor actual = null!;
        int syncs = -1;
        OnEmulatedCuda(() => actual = Predict("cuda", () => device, out syncs), d => device = d);
        Assert.That(syncs, Is.EqualTo(1), $"{(rows + batchSize - 1) / batchSize} batches, one read back");
        for (int i = 0; i < expected.Length; i++)
            Assert.That(actual.Data[i], Is.EqualTo(expected.Data[i]).Within(1e-6 + 1e-4 * Math.Abs(expected.Data[i])), $"element {i}");
    }
}
