using SequentialNet.Callbacks;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// A model of Conv2DTranspose, DepthwiseConv2D, SeparableConv2D and a grouped Conv2D trained through
/// Compile(device: "cuda") on the emulated device (the real kernels and CudaBackend, whole steps recorded once and
/// replayed) against the CPU backend with the same seed: per-step losses, final weights and predictions agree.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedConvolutionLayersTrainingTests
{
    private const int Steps = 12, Batch = 16;

    private static Sequential Model() => new(
        new Conv2D(6, 3, strides: 2, padding: "same", activation: "relu", inputShape: [8, 8, 2]),
        new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2, activation: "relu"),
        new Conv2DTranspose(4, 3, strides: 2, padding: "same", activation: "relu"),
        new SeparableConv2D(6, [2, 3], depthMultiplier: 2, activation: "relu"),
        new Conv2D(6, 2, groups: 3, activation: "tanh"),
        new Conv2DTranspose(3, [2, 2], padding: "valid", outputPadding: null, useBias: false),
        new GlobalAveragePooling2D(), new Dense(4, activation: "softmax"));

    private static (double[] Losses, Tensor[] Weights, float[] Predictions) Train(string device, Tensor x, Tensor y)
    {
        Utils.SetRandomSeed(77);
        using var model = Model();
        model.Compile(optimizer: new Adam(3e-3), loss: "sparse_categorical_crossentropy", device: device);
        var running = new RunningMeans();
        model.Fit(x, y, epochs: 1, batchSize: Batch, shuffle: false, verbose: 0, callbacks: [running]);
        var means = running.Means;
        var losses = new double[means.Count];
        for (int s = 0; s < means.Count; s++) losses[s] = (s + 1) * means[s] - (s == 0 ? 0 : s * means[s - 1]);
        return (losses, model.GetWeights(), model.Predict(x).Data);
    }

    [Test]
    public void LossesWeightsAndPredictionsMatchTheCpu()
    {
        RequireEmulator();
        var random = new Random(3);
        var x = new Tensor(Enumerable.Range(0, Steps * Batch * 128).Select(_ => (float)random.NextDouble()).ToArray(), Steps * Batch, 8, 8, 2);
        var y = Tensor.FromLabels(Enumerable.Range(0, Steps * Batch).Select(i => i % 4).ToArray());
        var cpu = Train("cpu", x, y);
        (double[] Losses, Tensor[] Weights, float[] Predictions) emulated = ([], [], []);
        var device = OnEmulatedCuda(() => emulated = Train("cuda", x, y));
        Assert.That(device, Is.Not.Null, "the cuda device was the emulated one");
        var problems = SeedMlpRun.LossMismatches(cpu.Losses, emulated.Losses, 1e-4);   // docs/testing.md's GEMM/reduction tolerance
        problems.AddRange(SeedMlpRun.WeightMismatches(cpu.Weights, emulated.Weights));
        for (int i = 0; i < cpu.Predictions.Length && problems.Count < 40; i++)
            if (!(Math.Abs(cpu.Predictions[i] - emulated.Predictions[i]) <= 1e-5 + 1e-3 * Math.Abs(cpu.Predictions[i])))
                problems.Add($"prediction {i}: emulated {emulated.Predictions[i]:R} vs CPU {cpu.Predictions[i]:R}");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        if (Environment.GetEnvironmentVariable("SEQUENTIAL_NET_CAPTURE") != "0")
            Assert.That(device!.CaptureCounts.Replayed, Is.GreaterThanOrEqualTo(Steps - 2), "the training steps ran as replays of a recorded step");
    }

    private sealed class RunningMeans : Callback
    {
        public List<double> Means { get; } = [];
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Means.Add(logs["loss"]);
    }
}
