using SequentialNet.Backends;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using SequentialNet.Saving;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// A model file is the same whichever backend wrote it: trained on the emulated "cuda" device and loaded
/// on the CPU (and the reverse), weights, optimizer slots and step count come back bit for bit; training
/// resumed from a file on the emulated device replays the uninterrupted run.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedPortabilityTests
{
    private const int Features = 8, Classes = 4, Rows = 96;

    /// <summary>
    /// Predictions of one set of weights on two backends: docs/testing.md's GEMM tolerance (rtol 1e-4), since the
    /// emulated device's GEMM and the CPU's packed GEMM sum in different orders.
    /// </summary>
    private const double PredictRtol = 1e-4, PredictAtol = 1e-6;

    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        RequireEmulator();
        _folder = Path.Combine(Path.GetTempPath(), "sequential-net-portability-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void AFileTrainedOnTheDeviceLoadsOnTheCpu()
    {
        var (x, y) = Narrow(SeedMlpRun.Data(Rows, seed: 3));
        string path = Path.Combine(_folder, "gpu.snet");
        OnEmulatedCuda(() =>
        {
            using var gpu = TrainedModel("cuda", x, y, epochs: 2);
            Assert.That(gpu.Device, Does.StartWith("cuda").And.Contain("emulated"));
            gpu.Save(path);
            using var cpu = Model.Load(path, device: "cpu");
            Assert.That(cpu.Device, Does.StartWith("cpu"));
            AssertSameState(gpu, cpu);
            AssertClose(gpu.Predict(x).Data, cpu.Predict(x).Data);
        });
    }

    [Test]
    public void AFileTrainedOnTheCpuLoadsOnTheDevice()
    {
        var (x, y) = Narrow(SeedMlpRun.Data(Rows, seed: 4));
        string path = Path.Combine(_folder, "cpu.snet");
        using var cpu = TrainedModel("cpu", x, y, epochs: 2);
        cpu.Save(path);
        OnEmulatedCuda(() =>
        {
            using var gpu = Model.Load(path, device: "cuda");
            Assert.That(gpu.Device, Does.StartWith("cuda").And.Contain("emulated"));
            AssertSameState(cpu, gpu);
            AssertClose(cpu.Predict(x).Data, gpu.Predict(x).Data);
        });
    }

    /// <summary>Same backend, same seed, same steps: the resumed run is bitwise the uninterrupted one.</summary>
    [Test]
    public void ResumingOnTheDeviceReplaysTheUninterruptedRun()
    {
        var (x, y) = Narrow(SeedMlpRun.Data(Rows, seed: 5));
        string path = Path.Combine(_folder, "resume.snet");
        OnEmulatedCuda(() =>
        {
            using var straight = TrainedModel("cuda", x, y, epochs: 4, out var straightHistory);
            using (var first = TrainedModel("cuda", x, y, epochs: 2)) first.Save(path);
            using var resumed = Model.Load(path, device: "cuda");
            var history = resumed.Fit(x, y, epochs: 4, initialEpoch: 2, batchSize: 16, verbose: 0);
            Assert.That(history.Epochs, Is.EqualTo(new[] { 2, 3 }));
            var expected = straightHistory["loss"].Skip(2).ToArray();
            Assert.That(history["loss"].ToArray(), Is.EqualTo(expected), "epoch losses, bitwise");
            AssertSameState(straight, resumed);
        });
    }

    private static (Tensor X, Tensor Y) Narrow((Tensor X, Tensor Y) data)
    {
        // The seed MLP's 784 features, cut to 8, with labels folded to 4 classes: a quick model.
        var x = new float[Rows * Features];
        for (int r = 0; r < Rows; r++)
            for (int f = 0; f < Features; f++) x[r * Features + f] = data.X.Data[r * SeedMlpRun.Features + f];
        var labels = data.Y.Data.Select(v => (float)((int)v % Classes)).ToArray();
        return (new Tensor(x, Rows, Features), new Tensor(labels, Rows));
    }

    private static Sequential TrainedModel(string device, Tensor x, Tensor y, int epochs)
        => TrainedModel(device, x, y, epochs, out _);

    private static Sequential TrainedModel(string device, Tensor x, Tensor y, int epochs, out Callbacks.History history)
    {
        Utils.SetRandomSeed(77);
        var model = new Sequential(
            new Dense(16, activation: "relu", inputShape: [Features]),
            new Dropout(0.2),
            new Dense(Classes, activation: "softmax"));
        model.Compile(optimizer: new Adam(learningRate: 0.01), loss: "sparse_categorical_crossentropy", device: device);
        history = model.Fit(x, y, epochs: epochs, batchSize: 16, verbose: 0);
        return model;
    }

    /// <summary>Weights (also through GetWeights), optimizer slots, step count and seed: bit for bit.</summary>
    private static void AssertSameState(Model expected, Model actual)
    {
        var (a, b) = (ModelSaver.Capture(expected, weightsOnly: false), ModelSaver.Capture(actual, weightsOnly: false));
        Assert.That(b.Weights, Has.Count.EqualTo(a.Weights.Count), "weight count");
        for (int i = 0; i < a.Weights.Count; i++) AssertBitwise(a.Weights[i].Data, b.Weights[i].Data, $"weight {a.Weights[i].Name}");
        var (we, wa) = (expected.GetWeights(), actual.GetWeights());
        for (int i = 0; i < we.Length; i++) AssertBitwise(we[i].Data, wa[i].Data, $"GetWeights()[{i}]");
        Assert.That(a.Optimizer, Is.Not.Null);
        Assert.That(b.Optimizer!.Slots, Has.Count.EqualTo(a.Optimizer!.Slots.Count), "slot count");
        for (int i = 0; i < a.Optimizer.Slots.Count; i++) AssertBitwise(a.Optimizer.Slots[i].Data, b.Optimizer.Slots[i].Data, $"slot {i}");
        Assert.That(b.Optimizer.Iterations, Is.EqualTo(a.Optimizer.Iterations).And.GreaterThan(0), "iterations");
        Assert.That(actual.Optimizer!.Iterations, Is.EqualTo(expected.Optimizer!.Iterations), "optimizer.Iterations");
        Assert.That(b.Optimizer.Seed, Is.EqualTo(a.Optimizer.Seed), "seed");
    }

    private static void AssertBitwise(float[] expected, float[] actual, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} differs: expected {expected[i]:R}, received {actual[i]:R}.");
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < expected.Length; i++)
            if (float.IsNaN(actual[i]) || !(Math.Abs(actual[i] - expected[i]) <= PredictAtol + PredictRtol * Math.Abs(expected[i])))
                Assert.Fail($"prediction {i}: expected {expected[i]:R}, received {actual[i]:R} (rtol {PredictRtol}).");
    }
}
