// Sequential.Net benchmark: the seed MLP on Fashion-MNIST (one Fit epoch at batch 32 and 128, Predict on
// the test set) and our SGEMM, each beside the same work in PyTorch / numpy at the same thread count;
// where a GPU works, a GPU column: the seed MLP at batch 32, 128 and 1024 on CUDA beside torch.cuda.
// Prints a Markdown table. Ratio = reference time / our time: above 1 means Sequential.Net is faster.
//
//   dotnet run -c Release --project examples/Benchmark [-- --quick] [-- --no-torch] [-- --no-gpu | --gpu-only] [-- --cnn]
//   dotnet run -c Release --project examples/Benchmark -- --hostile [names…]       (hostile model files: time and peak memory of each load)
//   dotnet run -c Release --project examples/Benchmark -- --compile-scaling [layers…] (Compile time against layer count)
//   dotnet run -c Release --project examples/Benchmark -- --conv-filter [rounds [N H W C K]] (kernel gradient: Winograd vs implicit GEMM)
//   dotnet run -c Release --project examples/Benchmark -- --functional             (Sequential vs functional Fit; Predict with 1, 2, 8 callers)
using SequentialNet;
using SequentialNet.Backends.Cpu;
using SequentialNet.Benchmark;
using SequentialNet.Datasets;

// Modes of their own: loading hostile files, and Compile time against model size.
switch (args.FirstOrDefault())
{
    case "--hostile": return HostileBench.Run(args[1..]);
    case "--hostile-load" when args.Length == 2: return HostileBench.LoadOne(args[1]);
    case "--functional": return FunctionalBench.Run();
    case "--conv-filter": return ConvFilterBench.Run(args[1..]);
    case "--compile-scaling":
        return CompileBench.Run(args.Length > 1 ? [.. args[1..].Select(int.Parse)] : [1024, 4096, 16384, 65536]);
}

var options = BenchOptions.Parse(args, out string? optionError);
if (options is null)
{
    if (optionError != null) Console.Error.WriteLine($"Benchmark: {optionError}.");
    Console.Error.WriteLine(BenchOptions.Usage);
    return optionError is null ? 0 : 2;
}
int threads = CpuWorkers.ThreadCount;
MachineInfo.LoadAverage();   // read it before we add to it
var report = new Report(options, threads) { OtherCpuBusy = MachineInfo.OtherCpuBusy(TimeSpan.FromSeconds(1)) };
static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");

// The reference interpreter (PyTorch for the MLP, numpy for GEMM).
PythonReference? python = null;
if (options.NoTorch)
{
    report.TorchMissing = "skipped (--no-torch)";
}
else
{
    python = PythonReference.Find(out string? why);
    report.TorchMissing = why;
    report.Python = python;
}

// (a), (b), (d): our MLP. The loader's raw copies (the uint8-valued images before scaling, the full training set
// when --quick takes a subset, the test labels) are locals of LoadData and so unreachable once it returns.
var (xTrain, yTrain, xTest) = LoadData(options, report);
if (options.CnnProfile)
{
    if (xTrain == null || yTrain == null) return 1;
    CnnBench.Profile(xTrain, yTrain, Console.Out);
    return 0;
}
if (options.Cnn)
{
    if (xTrain == null || yTrain == null || xTest == null) return 1;
    CnnBench.Run(options, xTrain, yTrain, xTest, python, threads, Progress, Console.Out);
    return 0;
}

if (xTrain != null && yTrain != null && xTest != null && !options.GpuOnly)
{
    report.DatasetBytes = ((long)xTrain.Length + yTrain.Length + xTest.Length) * sizeof(float);
    report.TrainSamples = xTrain.RowCount;
    report.TestSamples = xTest.RowCount;
    foreach (int batchSize in options.BatchSizes)
    {
        Progress($"Sequential.Net: Fit one epoch, batch {batchSize}, {xTrain.RowCount} samples");
        using var model = MlpBench.NewModel(xTrain.Dim(1), "cpu");
        report.Device ??= model.Device;
        bool first = report.Ours.Count == 0;
        report.Ours.Add(MlpBench.Fit(model, xTrain, yTrain, batchSize, options.WarmupSteps, options.TimedEpochs, measurePeak: first));
        if (first)
        {
            Progress($"Sequential.Net: Predict {xTest.RowCount} samples, batch {options.PredictBatch}");
            report.OurPredict = MlpBench.Predict(model, xTest, options.PredictBatch, options.PredictReps);
        }
    }

    if (python is { HasTorch: true })
    {
        var folder = Directory.CreateTempSubdirectory("sequential-net-bench-");
        try
        {
            MlpBench.WriteData(folder.FullName, xTrain, yTrain, xTest);
            Progress($"PyTorch {python.TorchVersion}: the same epochs and Predict ({python.Interpreter})");
            report.TorchMlp = python.Run(threads, TimeSpan.FromMinutes(30),
                "--mlp", folder.FullName,
                "--batch-sizes", string.Join(",", options.BatchSizes),
                "--warmup-steps", options.WarmupSteps.ToString(),
                "--timed-epochs", options.TimedEpochs.ToString(),
                "--predict-batch", options.PredictBatch.ToString(),
                "--predict-reps", options.PredictReps.ToString());
        }
        catch (InvalidOperationException ex)
        {
            report.TorchMissing = "PyTorch run failed: " + ex.Message;
            Progress(report.TorchMissing);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
// (e): the GPU column.
if (options.NoGpu) report.GpuMissing = "skipped (--no-gpu)";
else if (xTrain != null && yTrain != null && xTest != null) GpuBench.Run(options, report, xTrain, yTrain, xTest, python, threads, Progress);
xTrain = yTrain = xTest = null;

// (c): SGEMM, ours and numpy, at all threads and at one thread.
foreach (int t in options.GpuOnly ? [] : threads == 1 ? [1] : (int[])[1, threads])
{
    Progress($"Sequential.Net: SGEMM at {t} thread(s)");
    report.OurGemm[t] = GemmBench.Run(t, options.GemmReps, options.GemmMinSeconds);
}
if (python is { NumpyVersion: not null })
{
    foreach (int t in report.OurGemm.Keys.Order())
    {
        Progress($"numpy {python.NumpyVersion}: matmul at {t} thread(s)");
        try
        {
            var result = python.Run(t, TimeSpan.FromMinutes(10), "--gemm",
                "--reps", options.GemmReps.ToString(),
                "--min-seconds", options.GemmMinSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            report.NumpyGemm[t] = GemmBench.ParseResults(result.GetProperty("gemm"));
            if (t == threads && result.TryGetProperty("blas", out var blas)) report.Blas = blas.GetString();
        }
        catch (InvalidOperationException ex)
        {
            report.Notes.Add($"numpy GEMM at {t} thread(s) failed: {ex.Message}");
        }
    }
}

report.Print(Console.Out);
return 0;

// Fashion-MNIST scaled to [0, 1] (or synthetic data of its shape): train x (N, 784), train labels, test x.
static (Tensor? X, Tensor? Y, Tensor? XTest) LoadData(BenchOptions options, Report report)
{
    try
    {
        var ((xTr, yTr), (xTe, _)) = FashionMnist.LoadData();
        Tensor x = xTr.Reshape(-1, 784) / 255f, y = yTr, xTest = xTe.Reshape(-1, 784) / 255f;
        if (options.TrainSubset is int subset && subset < x.RowCount)
        {
            x = x.Rows(0, subset);
            y = y.Rows(0, subset);
        }
        return (x, y, xTest);
    }
    catch (DatasetNotFoundException ex)
    {
        // Timings do not depend on the pixel values, so data of the same shape keeps every row comparable
        // (e.g. on a GPU machine that cannot download); loss and accuracy then mean nothing, and the report says so.
        report.SyntheticData = "Fashion-MNIST not found (" + ex.Message.Split('\n')[0].TrimEnd('.') +
            "): uniform random data of the same shape stood in, so the timings compare but loss and accuracy do not";
        Console.Error.WriteLine($"[bench] {report.SyntheticData}");
        return SyntheticFashionMnist(options.TrainSubset ?? 60_000, 10_000);
    }
}

// 60,000 (or the subset) × 784 uniform [0, 1) inputs and uniform labels 0..9, seeded: Fashion-MNIST's shape.
static (Tensor X, Tensor Y, Tensor XTest) SyntheticFashionMnist(int train, int test)
{
    var random = new Random(7);
    Tensor Images(int rows)
    {
        var data = new float[rows * 784];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextSingle();
        return new Tensor(data, rows, 784);
    }
    var x = Images(train);
    var y = Tensor.FromLabels(Enumerable.Range(0, train).Select(_ => random.Next(10)).ToArray());
    return (x, y, Images(test));
}
