using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// Host synchronizations counted in the device layer (<see cref="EmulatedDevice.HostSynchronizations"/>):
/// Predict keeps every batch's outputs on the device and reads them back once, whatever the batch count,
/// and its result is the same as the CPU backend's.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedHostSyncTests
{
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
