using SequentialNet.Backends;
using SequentialNet.Callbacks;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The seed MLP of README.md's usage example (Dense 128 relu, Dropout 0.2, Dense 10 softmax, Adam 1e-3, sparse
/// cross-entropy, batch 32) trained for a number of steps on the CPU or on the emulated device, with the
/// per-step losses recovered from the running means Fit reports after each batch.
/// </summary>
internal static class SeedMlpRun
{
    public const int Features = 784, Classes = 10, BatchSize = 32;

    /// <summary>Synthetic 784-feature data in [0, 1) whose labels a linear map decides, so the loss falls.</summary>
    public static (Tensor X, Tensor Y) Data(int rows, int seed)
    {
        var random = new Random(seed);
        var projection = new float[Features * Classes];
        for (int i = 0; i < projection.Length; i++) projection[i] = (float)(random.NextDouble() * 2 - 1);
        var x = new float[rows * Features];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int f = 0; f < Features; f++) x[r * Features + f] = (float)random.NextDouble();
            var scores = new double[Classes];
            for (int f = 0; f < Features; f++)
                for (int c = 0; c < Classes; c++) scores[c] += (x[r * Features + f] - 0.5) * projection[f * Classes + c];
            labels[r] = Array.IndexOf(scores, scores.Max());
        }
        return (new Tensor(x, rows, Features), Tensor.FromLabels(labels));
    }

    /// <summary>Per-step losses and the final weights of <c>rows / 32</c> steps (one epoch) on <paramref name="device"/>.</summary>
    public static (double[] Losses, Tensor[] Weights) Train(string device, Tensor x, Tensor y)
    {
        Utils.SetRandomSeed(2024);
        using var model = new Sequential(
            new Dense(128, activation: "relu", inputShape: [Features]),
            new Dropout(0.2),
            new Dense(Classes, activation: "softmax"));
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", device: device);
        var running = new RunningLosses();
        model.Fit(x, y, epochs: 1, batchSize: BatchSize, verbose: 0, callbacks: [running]);
        // logs["loss"] after batch s is the mean of steps 0..s: step s's own loss is (s+1)·mean_s − s·mean_{s−1}.
        var means = running.Means;
        var losses = new double[means.Count];
        for (int s = 0; s < means.Count; s++) losses[s] = (s + 1) * means[s] - (s == 0 ? 0 : s * means[s - 1]);
        return (losses, model.GetWeights());
    }

    /// <summary>Trains on the emulated device through Devices.CudaFactory (restored afterwards).</summary>
    public static (double[] Losses, Tensor[] Weights) TrainEmulated(Tensor x, Tensor y, Action<EmulatedDevice>? configure = null)
    {
        (double[] Losses, Tensor[] Weights) result = default;
        EmulatedTestUtil.OnEmulatedCuda(() => result = Train("cuda", x, y), configure);
        return result;
    }

    /// <summary>
    /// The check of the Emulated training test: <paramref name="steps"/> steps on the CPU and on the emulated
    /// device (set up by <paramref name="configure"/>), losses compared with <paramref name="lossRtol"/> and
    /// final weights with <see cref="WeightMismatches"/>. Returns every problem found (empty: they agree).
    /// </summary>
    public static (List<string> Problems, double[] CpuLosses, double[] EmulatedLosses, EmulatedDevice Device) CompareWithCpu(int steps, double lossRtol, Action<EmulatedDevice>? configure = null)
    {
        var (x, y) = Data(steps * BatchSize, seed: 7);
        var (cpuLosses, cpuWeights) = Train("cpu", x, y);
        EmulatedDevice? used = null;
        var (emuLosses, emuWeights) = TrainEmulated(x, y, device =>
        {
            used = device;
            configure?.Invoke(device);
        });
        var problems = LossMismatches(cpuLosses, emuLosses, lossRtol);
        problems.AddRange(WeightMismatches(cpuWeights, emuWeights));
        return (problems, cpuLosses, emuLosses, used!);
    }

    /// <summary>
    /// Steps whose losses differ by more than atol 1e-5 + rtol·|cpu| (NaN never passes). Same data order,
    /// dropout masks (Philox) and initial weights: the runs differ only by fp32 rounding (GEMM order, FMA).
    /// </summary>
    public static List<string> LossMismatches(double[] cpu, double[] emulated, double rtol)
    {
        var problems = new List<string>();
        if (cpu.Length != emulated.Length) problems.Add($"{emulated.Length} steps on the emulated device, {cpu.Length} on the CPU");
        for (int s = 0; s < Math.Min(cpu.Length, emulated.Length); s++)
            if (double.IsNaN(emulated[s]) || !(Math.Abs(emulated[s] - cpu[s]) <= 1e-5 + rtol * Math.Abs(cpu[s])))
                problems.Add($"step {s}: emulated loss {emulated[s]:R} vs CPU {cpu[s]:R}");
        return problems;
    }

    /// <summary>
    /// Weights that differ by more than 1e-5 + 1e-3·|cpu| (docs/testing.md's gradient tolerance: after a few Adam
    /// steps a weight carries the rounding of every gradient it saw).
    /// </summary>
    public static List<string> WeightMismatches(Tensor[] cpu, Tensor[] emulated, int limit = 20)
    {
        var problems = new List<string>();
        for (int w = 0; w < cpu.Length && problems.Count < limit; w++)
            for (int i = 0; i < cpu[w].Length && problems.Count < limit; i++)
            {
                float e = cpu[w].Data[i], a = emulated[w].Data[i];
                if (float.IsNaN(a) || !(Math.Abs(a - e) <= 1e-5 + 1e-3 * Math.Abs(e)))
                    problems.Add($"weight {w} element {i}: emulated {a:R} vs CPU {e:R}");
            }
        return problems;
    }

    private sealed class RunningLosses : Callback
    {
        public List<double> Means { get; } = [];

        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Means.Add(logs["loss"]);
    }
}
