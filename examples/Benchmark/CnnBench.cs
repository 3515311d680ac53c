using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Benchmark;

/// <summary>
/// The --cnn rows: one epoch of the Keras tutorial CNN (examples/FashionMnistCnn) at batch 128 and its Predict
/// throughput, beside the same model in PyTorch at 1 thread and at our thread count (the better one is PyTorch's
/// best setting), and the second convolution's forward GFLOP/s beside our SGEMM on the same GEMM shape
/// (m = 128·11·11 patch rows, n = 64 filters, k = 3·3·32).
/// </summary>
internal static class CnnBench
{
    /// <summary>Runs everything and prints a Markdown table.</summary>
    public static void Run(BenchOptions options, Tensor xTrain, Tensor yTrain, Tensor xTest, PythonReference? python, int threads, Action<string> progress, TextWriter output)
    {
        var images = xTrain.Reshape(-1, 28, 28, 1);
        var test = xTest.Reshape(-1, 28, 28, 1);
        progress($"Sequential.Net: CNN, one epoch at batch 128 on {images.RowCount} samples");
        Utils.SetRandomSeed(42);
        using var model = NewModel();
        var fit = MlpBench.Fit(model, images, yTrain, 128, options.WarmupSteps / 4, options.TimedEpochs, measurePeak: false);
        var predict = MlpBench.Predict(model, test, options.PredictBatch, options.PredictReps);
        var predict128 = MlpBench.Predict(model, test, 128, options.PredictReps);
        progress("Sequential.Net: convolution forward vs SGEMM at the same GEMM shape");
        var (convGflops, directGflops, gemmGflops) = ConvVersusGemm(options.GemmMinSeconds);

        var torch = new SortedDictionary<int, JsonElement>();
        if (python is { HasTorch: true })
        {
            var folder = Directory.CreateTempSubdirectory("sequential-net-cnn-");
            try
            {
                MlpBench.WriteData(folder.FullName, xTrain, yTrain, xTest);
                foreach (int t in threads == 1 ? [1] : (int[])[1, threads])
                {
                    progress($"PyTorch {python.TorchVersion}: the same CNN at {t} thread(s)");
                    torch[t] = python.Run(t, TimeSpan.FromMinutes(40), "--cnn", folder.FullName,
                        "--warmup-steps", (options.WarmupSteps / 4).ToString(CultureInfo.InvariantCulture),
                        "--timed-epochs", options.TimedEpochs.ToString(CultureInfo.InvariantCulture),
                        "--predict-batch", options.PredictBatch.ToString(CultureInfo.InvariantCulture),
                        "--predict-reps", options.PredictReps.ToString(CultureInfo.InvariantCulture)).GetProperty("cnn");
                }
            }
            finally { folder.Delete(recursive: true); }
        }
        Print(output, threads, fit, predict, predict128, torch, convGflops, gemmGflops);
        output.WriteLine($"The same convolution on the implicit-GEMM path (the CPU runs it as Winograd F(2×2, 3×3); GFLOP/s above count the direct 2·m·n·k): {directGflops.ToString("F1", CultureInfo.InvariantCulture)} GFLOP/s ({(100 * directGflops / gemmGflops).ToString("F0", CultureInfo.InvariantCulture)}% of SGEMM).");
        StepProfile.Print(model, 128, 10, output);
    }

    /// <summary>--cnn-profile: a short fit (compiles and warms the plan), then the op-by-op profile of a training step.</summary>
    public static void Profile(Tensor xTrain, Tensor yTrain, TextWriter output)
    {
        Utils.SetRandomSeed(42);
        using var model = NewModel();
        model.Fit(xTrain.Reshape(-1, 28, 28, 1).Rows(0, 2560), yTrain.Rows(0, 2560), epochs: 1, batchSize: 128, verbose: 0);
        StepProfile.Print(model, 128, 20, output);
    }

    /// <summary>Conv2D(32, 3, relu) → MaxPooling2D(2) → Conv2D(64, 3, relu) → MaxPooling2D(2) → Flatten → Dropout(0.5) → Dense(10, softmax).</summary>
    public static Sequential NewModel()
    {
        var model = new Sequential(
            new Conv2D(32, 3, activation: "relu", inputShape: [28, 28, 1]), new MaxPooling2D(2),
            new Conv2D(64, 3, activation: "relu"), new MaxPooling2D(2),
            new Flatten(), new Dropout(0.5), new Dense(10, activation: "softmax"));
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], device: "cpu");
        return model;
    }

    /// <summary>GFLOP/s of the convolution forward (the path the CPU picks, then the implicit GEMM with patches gathered on the fly) and of one SGEMM on a stored patch matrix of the same shape.</summary>
    private static (double Conv, double Direct, double Gemm) ConvVersusGemm(double minSeconds)
    {
        var g = new ConvGeometry(128, 13, 13, 32, 11, 11, 64, 3, 3, 1, 1, 1, 1, 0, 0);
        using var backend = new CpuBackend();
        var random = new Random(1);
        DeviceBuffer Filled(long n) => RandomBuffers.Filled(backend, random, n);
        using DeviceBuffer x = Filled(g.InputLength), k = Filled(g.KernelLength), bias = Filled(g.OutChannels), y = Filled(g.OutputLength);
        using DeviceBuffer patches = Filled((long)g.Rows * g.PatchSize);
        double flops = 2.0 * g.MultiplyAdds;
        double conv = flops / Seconds(() => backend.Conv2DForward(new Relu(), x, k, bias, y, g), minSeconds) / 1e9;
        double direct;
        try
        {
            CpuBackend.t_directConvolutionOnly = true;
            direct = flops / Seconds(() => backend.Conv2DForward(new Relu(), x, k, bias, y, g), minSeconds) / 1e9;
        }
        finally { CpuBackend.t_directConvolutionOnly = false; }
        double gemm = flops / Seconds(() => backend.Gemm(false, false, g.Rows, g.OutChannels, g.PatchSize, 1f, patches, k, 0f, y), minSeconds) / 1e9;
        return (conv, direct, gemm);
    }

    /// <summary>The best time of repeated calls over at least <paramref name="minSeconds"/> (after a warm-up call).</summary>
    private static double Seconds(Action action, double minSeconds)
    {
        action();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        do
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        } while (total.Elapsed.TotalSeconds < minSeconds * 5);
        return best;
    }

    private static void Print(TextWriter o, int threads, MlpResult fit, PredictResult predict, PredictResult predict128, SortedDictionary<int, JsonElement> torch, double conv, double gemm)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        o.WriteLine();
        o.WriteLine($"| CNN (Fashion-MNIST, batch 128, CPU) | Sequential.Net ({threads} threads) | " + string.Join(" | ", torch.Keys.Select(t => $"PyTorch {t} thread(s)")) + " | ratio vs PyTorch's best |");
        o.WriteLine("|---|---|" + string.Concat(torch.Keys.Select(_ => "---|")) + "---|");
        double bestEpoch = torch.Count == 0 ? double.NaN : torch.Values.Min(r => r.GetProperty("seconds").GetDouble());
        double bestPredict = torch.Count == 0 ? double.NaN : torch.Values.Max(r => r.GetProperty("predict_samples_per_s").GetDouble());
        o.WriteLine($"| one epoch, {fit.Samples} samples (s) | {F(fit.Seconds, "F1")} | " + string.Concat(torch.Values.Select(r => F(r.GetProperty("seconds").GetDouble(), "F1") + " | ")) + $"{F(bestEpoch / fit.Seconds, "F2")}× |");
        o.WriteLine($"| Predict, batch {predict.BatchSize} (samples/s) | {F(predict.SamplesPerSecond, "F0")} | " + string.Concat(torch.Values.Select(r => F(r.GetProperty("predict_samples_per_s").GetDouble(), "F0") + " | ")) + $"{F(predict.SamplesPerSecond / bestPredict, "F2")}× |");
        double bestPredict128 = torch.Count == 0 ? double.NaN : torch.Values.Max(r => r.GetProperty("predict128_samples_per_s").GetDouble());
        o.WriteLine($"| Predict, batch 128 (samples/s) | {F(predict128.SamplesPerSecond, "F0")} | " + string.Concat(torch.Values.Select(r => F(r.GetProperty("predict128_samples_per_s").GetDouble(), "F0") + " | ")) + $"{F(predict128.SamplesPerSecond / bestPredict128, "F2")}× |");
        o.WriteLine();
        o.WriteLine($"Convolution forward (15488×64×288 GEMM shape, relu): {F(conv, "F1")} GFLOP/s; our SGEMM on the stored patch matrix: {F(gemm, "F1")} GFLOP/s ({F(100 * conv / gemm, "F0")}%).");
        o.WriteLine($"First-epoch training loss {F(fit.Loss, "F4")}, accuracy {F(fit.Accuracy, "F4")}.");
    }
}
