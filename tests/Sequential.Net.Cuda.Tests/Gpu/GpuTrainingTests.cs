using SequentialNet.Callbacks;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Cuda.Tests;

/// <summary>
/// Whole training runs on a real GPU: the seed MLP's losses step by step against the CPU, and device memory
/// back to its baseline after repeated Compile/Fit/Dispose. Ignored where no GPU works.
/// </summary>
[Category("Gpu"), NonParallelizable]
public class GpuTrainingTests
{
    private static Sequential SeedMlp(int inputs) => new(
        new Dense(128, activation: "relu", inputShape: [inputs]),
        new Dropout(0.2),
        new Dense(10, activation: "softmax"));

    /// <summary>Records the running epoch loss after every training batch.</summary>
    private sealed class StepLosses : Callback
    {
        public List<double> Losses { get; } = [];

        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Losses.Add(logs["loss"]);
    }

    private static (List<double> Losses, Tensor[] Weights) Train(string device, Tensor x, Tensor y)
    {
        Utils.SetRandomSeed(2024);
        using var model = SeedMlp(x.Dim(1));
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], device: device);
        Assert.That(model.Device, Does.StartWith(device));
        var steps = new StepLosses();
        model.Fit(x, y, epochs: 2, batchSize: 32, verbose: 0, callbacks: [steps]);
        return (steps.Losses, model.GetWeights());
    }

    [Test]
    public void SeedMlpLossesMatchTheCpuFor100Steps()
    {
        GpuRequirement.RequireGpu();
        var ((xAll, yAll), _) = Digits.LoadData();
        var x = (xAll.Reshape(-1, 64) / 16f).Rows(0, 1600);   // 1600 / 32 = 50 steps an epoch, 2 epochs
        var y = yAll.Rows(0, 1600);
        var (cpuLosses, cpuWeights) = Train("cpu", x, y);
        var (gpuLosses, gpuWeights) = Train("cuda", x, y);

        Assert.That(gpuLosses, Has.Count.EqualTo(100));
        Assert.That(cpuLosses, Has.Count.EqualTo(100));
        // Same data order, same dropout masks (Philox), same initial weights: the two runs differ only by
        // fp32 rounding (GEMM summation order, FMA contraction), which Adam carries forward step by step.
        // rtol 1e-3 on the loss is docs/testing.md's upper GEMM tolerance, loosened from 1e-4 for 100 steps of drift.
        for (int step = 0; step < 100; step++)
            Assert.That(Math.Abs(gpuLosses[step] - cpuLosses[step]), Is.LessThanOrEqualTo(1e-5 + 1e-3 * Math.Abs(cpuLosses[step])),
                $"step {step}: GPU loss {gpuLosses[step]} vs CPU {cpuLosses[step]}");
        Assert.That(gpuLosses[^1], Is.LessThan(gpuLosses[0]), "it learns");
        for (int w = 0; w < cpuWeights.Length; w++)
            for (int i = 0; i < cpuWeights[w].Length; i++)
                Assert.That(Math.Abs(gpuWeights[w].Data[i] - cpuWeights[w].Data[i]), Is.LessThanOrEqualTo(2e-4 + 1e-3 * Math.Abs(cpuWeights[w].Data[i])),
                    $"weight {w} element {i} after 100 steps");
    }

    [Test]
    public void DeviceMemoryReturnsToBaselineAfter50CompileFitDisposeCycles()
    {
        GpuRequirement.RequireGpu();
        var ((xAll, yAll), _) = Digits.LoadData();
        var x = (xAll.Reshape(-1, 64) / 16f).Rows(0, 320);
        var y = yAll.Rows(0, 320);
        void Cycle()
        {
            using var model = SeedMlp(64);
            model.Compile(optimizer: new Adam(), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], device: "cuda");
            model.Fit(x, y, epochs: 1, batchSize: 32, verbose: 0);
            model.Predict(x);
        }

        // The probe holds a reference on the primary context, so the context (and what the driver and cuBLAS
        // keep in it for the life of the context) outlives the cycles; one warm-up cycle lets that settle.
        using var probe = new DriverDevice(0, loadKernels: false);
        Cycle();
        probe.Synchronize();
        long baseline = probe.MemoryInfo().Free;
        for (int i = 0; i < 50; i++) Cycle();
        probe.Synchronize();
        long after = probe.MemoryInfo().Free;
        // cuMemGetInfo counts in the driver's 2 MiB pages; a leak of even a few KiB a cycle would exceed one page over 50 cycles.
        const long Page = 2L << 20;
        Assert.That(after, Is.GreaterThanOrEqualTo(baseline - Page),
            $"free device memory {baseline / 1048576.0:F1} MiB before the 50 cycles, {after / 1048576.0:F1} MiB after");
    }
}
