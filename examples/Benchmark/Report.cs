using System.Globalization;
using System.Text.Json;

namespace SequentialNet.Benchmark;

/// <summary>Collects the figures and prints them: machine lines, then one Markdown table, then notes.</summary>
internal sealed class Report(BenchOptions options, int threads)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const string NotAvailable = "n/a";

    public PythonReference? Python { get; set; }
    public string? TorchMissing { get; set; }
    public string? DataMissing { get; set; }
    public string? Device { get; set; }
    public string? Blas { get; set; }
    /// <summary>The data held in memory during Fit, as float32: training x and y, and the test x that Predict reads.</summary>
    public long DatasetBytes { get; set; }
    public int TrainSamples { get; set; }
    public int TestSamples { get; set; }
    public double? OtherCpuBusy { get; set; }
    public List<MlpResult> Ours { get; } = [];
    public PredictResult? OurPredict { get; set; }
    public JsonElement? TorchMlp { get; set; }
    public SortedDictionary<int, List<GemmResult>> OurGemm { get; } = [];
    public SortedDictionary<int, List<GemmResult>> NumpyGemm { get; } = [];
    public List<string> Notes { get; } = [];
    /// <summary>Synthetic data stood in for Fashion-MNIST: why (timings comparable, loss and accuracy not).</summary>
    public string? SyntheticData { get; set; }
    public string? GpuDevice { get; set; }
    /// <summary>Why the GPU column is empty (no usable GPU, or --no-gpu).</summary>
    public string? GpuMissing { get; set; }
    public string? TorchGpuMissing { get; set; }
    public List<MlpResult> GpuOurs { get; } = [];
    public JsonElement? TorchGpu { get; set; }
    public JsonElement? TorchGpuGraphs { get; set; }

    public void Print(TextWriter w)
    {
        PrintMachine(w);
        w.WriteLine();
        w.WriteLine("| Benchmark | Sequential.Net | PyTorch / numpy | Ratio |");
        w.WriteLine("|---|---:|---:|---:|");
        if (!options.GpuOnly) PrintMlpRows(w);
        PrintGpuRows(w);
        PrintGemmRows(w);
        PrintMemoryRows(w);
        w.WriteLine();
        w.WriteLine("Ratio = reference time / Sequential.Net time (above 1: Sequential.Net is faster). " +
                    $"MLP: the fastest of {options.TimedEpochs} shuffled epoch(s) after a warm-up, no validation; GEMM: best of " +
                    $"{options.GemmReps} repetitions after a warm-up; Predict: median of {options.PredictReps}.");
        PrintTrainingCheck(w);
        if (GpuMissing != null) w.WriteLine($"GPU: n/a — {GpuMissing.TrimEnd('.')}.");
        else if (TorchGpuMissing != null) w.WriteLine($"PyTorch on the GPU: n/a — {TorchGpuMissing.TrimEnd('.')}.");
        if (SyntheticData != null) w.WriteLine($"Data: {SyntheticData}.");
        if (TorchMissing != null) w.WriteLine($"PyTorch: n/a — {TorchMissing}.");
        if (DataMissing != null) w.WriteLine($"MLP rows: n/a — {DataMissing}.");
        foreach (var note in Notes) w.WriteLine(note);
    }

    private void PrintMachine(TextWriter w)
    {
        w.WriteLine($"# Sequential.Net benchmark ({DateTime.Now.ToString("yyyy-MM-dd", Inv)}{(options.Quick ? ", --quick" : "")})");
        w.WriteLine();
        w.WriteLine($"- CPU: {MachineInfo.CpuModel()}, {Environment.ProcessorCount} logical cores; SIMD: {MachineInfo.SimdWidth()}");
        w.WriteLine($"- .NET: {MachineInfo.Runtime()}; OS: {MachineInfo.Os()}");
        w.WriteLine($"- Sequential.Net: {Device ?? $"cpu, {threads} threads"}; reference threads: {threads}");
        string torch = Python?.TorchVersion ?? NotAvailable, numpy = Python?.NumpyVersion ?? NotAvailable;
        string py = Python is null ? NotAvailable : $"{Python.Interpreter} (Python {Python.PythonVersion})";
        w.WriteLine($"- PyTorch: {torch}; numpy: {numpy}; interpreter: {py}");
        w.WriteLine($"- numpy BLAS: {Blas ?? Python?.Blas ?? NotAvailable}");
        if (GpuDevice != null || TorchGpu != null)
        {
            string torchGpu = TorchGpu is { } tg && tg.TryGetProperty("cuda_device", out var name)
                ? $"{name.GetString()}, CUDA {(tg.TryGetProperty("torch_cuda", out var cv) ? cv.GetString() : "?")}" : NotAvailable;
            w.WriteLine($"- GPU: Sequential.Net {GpuDevice ?? NotAvailable}, driver CUDA {GpuDriverVersion() ?? NotAvailable}; PyTorch: {torchGpu}");
        }
        if (MachineInfo.LoadAverage() is string load)
            w.WriteLine($"- Load average (1/5/15 min) at the start: {load}" +
                        (OtherCpuBusy is double b ? $"; other processes kept {b * 100:F0}% of the cores busy in the second before" : ""));
        if (OtherCpuBusy > 0.2)
        {
            w.WriteLine("- WARNING: the machine was busy; the figures are unreliable, PyTorch's multi-threaded ones most " +
                        "(its OpenMP threads spin-wait at every op and stall when a core is taken). Rerun when it is idle.");
        }
    }

    private void PrintMlpRows(TextWriter w)
    {
        var torchRuns = TorchRuns();
        foreach (int bs in options.BatchSizes)
        {
            var ours = Ours.FirstOrDefault(r => r.BatchSize == bs);
            string label = $"MLP Fit, 1 epoch, batch {bs}, {(TrainSamples > 0 ? TrainSamples : 60000):N0} samples";
            if (ours is null)
            {
                w.WriteLine($"| {label} | {NotAvailable} | {NotAvailable} | {NotAvailable} |");
                continue;
            }
            string oursText = $"{ours.Seconds:F2} s ({ours.SamplesPerSecond:N0} samples/s)";
            if (torchRuns.TryGetValue(bs, out var t))
            {
                double ts = t.GetProperty("seconds").GetDouble();
                w.WriteLine($"| {label} | {oursText} | {ts:F2} s ({t.GetProperty("samples_per_s").GetDouble():N0} samples/s) | {ts / ours.Seconds:F2} |");
            }
            else
            {
                w.WriteLine($"| {label} | {oursText} | {NotAvailable} | {NotAvailable} |");
            }
        }

        string predictLabel = $"Predict, {(TestSamples > 0 ? TestSamples : 10000):N0} test images, batch {options.PredictBatch}";
        if (OurPredict is null)
        {
            w.WriteLine($"| {predictLabel} | {NotAvailable} | {NotAvailable} | {NotAvailable} |");
            return;
        }
        string ourPredict = $"{OurPredict.SamplesPerSecond:N0} samples/s";
        if (TorchMlp is { } mlp && mlp.TryGetProperty("predict", out var p))
        {
            double ts = p.GetProperty("seconds").GetDouble();
            w.WriteLine($"| {predictLabel} | {ourPredict} | {p.GetProperty("samples_per_s").GetDouble():N0} samples/s | {ts / OurPredict.Seconds:F2} |");
        }
        else
        {
            w.WriteLine($"| {predictLabel} | {ourPredict} | {NotAvailable} | {NotAvailable} |");
        }
    }

    private void PrintGpuRows(TextWriter w)
    {
        if (GpuMissing != null) return;
        PrintGpuRows(w, TorchRuns(TorchGpu), "");
        if (TorchGpuGraphs != null) PrintGpuRows(w, TorchRuns(TorchGpuGraphs), " (PyTorch with CUDA graphs)");
    }

    private void PrintGpuRows(TextWriter w, Dictionary<int, JsonElement> torchRuns, string reference)
    {
        foreach (int bs in options.GpuBatchSizes)
        {
            var ours = GpuOurs.FirstOrDefault(r => r.BatchSize == bs);
            string label = $"GPU: MLP Fit, 1 epoch, batch {bs}, {(TrainSamples > 0 ? TrainSamples : 60000):N0} samples{reference}";
            string oursText = ours is null ? NotAvailable : $"{ours.Seconds:F2} s ({ours.SamplesPerSecond:N0} samples/s)";
            if (torchRuns.TryGetValue(bs, out var t))
            {
                double ts = t.GetProperty("seconds").GetDouble();
                string ratio = ours is null ? NotAvailable : (ts / ours.Seconds).ToString("F2", Inv);
                w.WriteLine($"| {label} | {oursText} | {ts:F2} s ({t.GetProperty("samples_per_s").GetDouble():N0} samples/s) | {ratio} |");
            }
            else
            {
                w.WriteLine($"| {label} | {oursText} | {NotAvailable} | {NotAvailable} |");
            }
        }
    }

    private static string? GpuDriverVersion()
    {
        try
        {
            return SequentialNet.Cuda.DriverDevice.DriverVersion();
        }
        catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private Dictionary<int, JsonElement> TorchRuns() => TorchRuns(TorchMlp);

    private static Dictionary<int, JsonElement> TorchRuns(JsonElement? reference)
    {
        var runs = new Dictionary<int, JsonElement>();
        if (reference is { } mlp && mlp.TryGetProperty("mlp", out var list))
        {
            foreach (var run in list.EnumerateArray()) runs[run.GetProperty("batch_size").GetInt32()] = run;
        }
        return runs;
    }

    private void PrintGemmRows(TextWriter w)
    {
        foreach (var shape in GemmShape.All)
        {
            foreach (int t in OurGemm.Keys.Order())
            {
                var ours = OurGemm[t].First(r => r.Label == shape.Label);
                var np = NumpyGemm.TryGetValue(t, out var list) ? list.FirstOrDefault(r => r.Label == shape.Label) : null;
                string label = $"SGEMM {shape.Label}, {t} thread{(t == 1 ? "" : "s")} (GFLOP/s)";
                string ratio = np is null ? NotAvailable : (np.Seconds / ours.Seconds).ToString("F2", Inv);
                string npText = np is null ? NotAvailable : np.Gflops.ToString("F1", Inv);
                w.WriteLine($"| {label} | {ours.Gflops:F1} | {npText} | {ratio} |");
            }
        }
    }

    /// <summary>The issue's memory target: the peak working set during Fit at most the dataset plus this.</summary>
    private const long TargetOverheadBytes = 150L * 1024 * 1024;

    private void PrintMemoryRows(TextWriter w)
    {
        var first = Ours.FirstOrDefault();
        if (DatasetBytes > 0)
            w.WriteLine($"| Dataset in memory as float32 (train x + y {TrainSamples:N0}, test x {TestSamples:N0}) | {Mb(DatasetBytes)} | | |");
        if (first?.PeakWorkingSetBytes is long peak)
        {
            string scope = first.PeakCoversFitOnly ? "during Fit" : "process lifetime";
            string torchPeak = TorchRuns().TryGetValue(first.BatchSize, out var t)
                && t.TryGetProperty("peak_rss_mb", out var mb) && mb.ValueKind == JsonValueKind.Number
                ? $"{mb.GetDouble():F0} MB" : NotAvailable;
            w.WriteLine($"| Working set before Fit (after a compacting GC) | {Mb(first.WorkingSetBeforeBytes)} | | |");
            w.WriteLine($"| Peak working set {scope} (batch {first.BatchSize}) | {Mb(peak)} | {torchPeak} | — |");
            if (DatasetBytes > 0)
            {
                long margin = peak - (DatasetBytes + TargetOverheadBytes);
                string verdict = margin <= 0 ? "within" : "over";
                w.WriteLine($"| Peak − (dataset + 150 MB): {verdict} the target | {(margin < 0 ? "−" : "+")}{Mb(Math.Abs(margin))} | | |");
            }
        }
    }

    private void PrintTrainingCheck(TextWriter w)
    {
        if (Ours.Count == 0 && GpuOurs.Count == 0) return;
        var parts = Check(Ours, TorchRuns(), "").Concat(Check(GpuOurs, TorchRuns(TorchGpu), "GPU "));
        w.WriteLine("Training check (running means over the timed epoch): " + string.Join("; ", parts) + ".");
    }

    private static IEnumerable<string> Check(List<MlpResult> ours, Dictionary<int, JsonElement> torchRuns, string prefix) => ours.Select(o =>
    {
        string s = $"{prefix}batch {o.BatchSize}: ours loss {o.Loss:F3} / acc {o.Accuracy:F3}";
        if (torchRuns.TryGetValue(o.BatchSize, out var t))
            s += $", PyTorch loss {t.GetProperty("loss").GetDouble():F3} / acc {t.GetProperty("accuracy").GetDouble():F3}";
        return s;
    });

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):F0} MB";
}
