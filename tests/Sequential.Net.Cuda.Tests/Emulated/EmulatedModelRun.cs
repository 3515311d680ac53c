using SequentialNet.Callbacks;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// One model trained with the same seed on the CPU backend and through Compile(device: "cuda") on the emulated device
/// (whole steps recorded once and replayed): per-step losses, final weights and predictions must agree, and the
/// steps must have run as replays.
/// </summary>
internal static class EmulatedModelRun
{
    public static void AssertMatchesCpu(Func<Sequential> newModel, Tensor x, Tensor y, int seed, int batch)
    {
        RequireEmulator();
        int steps = x.Shape[0] / batch;
        var cpu = Train(newModel, "cpu", x, y, seed, batch);
        (double[] Losses, Tensor[] Weights, float[] Predictions) emulated = ([], [], []);
        var device = OnEmulatedCuda(() => emulated = Train(newModel, "cuda", x, y, seed, batch));
        Assert.That(device, Is.Not.Null, "the cuda device was the emulated one");
        var problems = SeedMlpRun.LossMismatches(cpu.Losses, emulated.Losses, 1e-4);   // docs/testing.md's GEMM/reduction tolerance
        problems.AddRange(SeedMlpRun.WeightMismatches(cpu.Weights, emulated.Weights));
        for (int i = 0; i < cpu.Predictions.Length && problems.Count < 40; i++)
            if (!(Math.Abs(cpu.Predictions[i] - emulated.Predictions[i]) <= 1e-5 + 1e-3 * Math.Abs(cpu.Predictions[i])))
                problems.Add($"prediction {i}: emulated {emulated.Predictions[i]:R} vs CPU {cpu.Predictions[i]:R}");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        if (Environment.GetEnvironmentVariable("SEQUENTIAL_NET_CAPTURE") != "0")
            Assert.That(device!.CaptureCounts.Replayed, Is.GreaterThanOrEqualTo(steps - 2), "the training steps ran as replays of a recorded step");
    }

    private static (double[] Losses, Tensor[] Weights, float[] Predictions) Train(Func<Sequential> newModel, string device, Tensor x, Tensor y, int seed, int batch)
    {
        Utils.SetRandomSeed(seed);
        using var model = newModel();
        model.Compile(optimizer: new Adam(3e-3), loss: "sparse_categorical_crossentropy", device: device);
        var running = new RunningMeans();
        model.Fit(x, y, epochs: 1, batchSize: batch, shuffle: false, verbose: 0, callbacks: [running]);
        var means = running.Means;
        var losses = new double[means.Count];
        for (int s = 0; s < means.Count; s++) losses[s] = (s + 1) * means[s] - (s == 0 ? 0 : s * means[s - 1]);   // each step's own loss
        return (losses, model.GetWeights(), model.Predict(x).Data);
    }

    private sealed class RunningMeans : Callback
    {
        public List<double> Means { get; } = [];
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Means.Add(logs["loss"]);
    }
}
