using SequentialNet.Cuda;

namespace SequentialNet.Benchmark;

/// <summary>
/// The GPU column: the seed MLP, one timed epoch at each of <see cref="BenchOptions.GpuBatchSizes"/> on CUDA
/// device 0 (<c>Compile(..., device: "cuda")</c>, strict FP32), and the same model on the same GPU in PyTorch
/// (torch.cuda, TF32 off) on the same bytes, eagerly and with each step replayed from a CUDA graph. Without a usable GPU the column is skipped with the reason.
/// </summary>
internal static class GpuBench
{
    public static void Run(BenchOptions options, Report report, Tensor x, Tensor y, Tensor xTest, PythonReference? python, int threads, Action<string> progress)
    {
        if (!CudaDevice.IsAvailable(out string reason))
        {
            report.GpuMissing = reason;
            progress("GPU column skipped: " + reason);
            return;
        }
        foreach (int batchSize in options.GpuBatchSizes)
        {
            progress($"Sequential.Net on the GPU: Fit one epoch, batch {batchSize}, {x.RowCount} samples");
            try
            {
                using var model = MlpBench.NewModel(x.Dim(1), "cuda");
                report.GpuDevice ??= model.Device;
                report.GpuOurs.Add(MlpBench.Fit(model, x, y, batchSize, options.WarmupSteps, options.TimedEpochs, measurePeak: false));
            }
            catch (Exception e) when (e is InvalidOperationException or KernelCompilationException)
            {
                report.Notes.Add($"GPU batch {batchSize} failed: {e.Message.Split('\n')[0]}");
                progress(report.Notes[^1]);
            }
        }

        if (python is not { HasTorch: true })
        {
            report.TorchGpuMissing = report.TorchMissing ?? "no PyTorch";
            return;
        }
        var folder = Directory.CreateTempSubdirectory("sequential-net-bench-gpu-");
        try
        {
            MlpBench.WriteData(folder.FullName, x, y, xTest);
            string[] common = ["--mlp", folder.FullName, "--device", "cuda",
                "--batch-sizes", string.Join(",", options.GpuBatchSizes),
                "--warmup-steps", options.WarmupSteps.ToString(),
                "--timed-epochs", options.TimedEpochs.ToString(),
                "--predict-batch", options.PredictBatch.ToString(),
                "--predict-reps", "1"];
            progress($"PyTorch {python.TorchVersion} on the GPU: the same epochs, eager");
            report.TorchGpu = python.Run(threads, TimeSpan.FromMinutes(30), common);
            progress($"PyTorch {python.TorchVersion} on the GPU: the same epochs, each step replayed from a CUDA graph");
            try
            {
                report.TorchGpuGraphs = python.Run(threads, TimeSpan.FromMinutes(30), [.. common, "--cuda-graphs"]);
            }
            catch (InvalidOperationException e)
            {
                report.Notes.Add("PyTorch with CUDA graphs failed: " + e.Message.Split('\n')[0]);
                progress(report.Notes[^1]);
            }
        }
        catch (InvalidOperationException e)
        {
            report.TorchGpuMissing = "PyTorch GPU run failed: " + e.Message;
            progress(report.TorchGpuMissing);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
