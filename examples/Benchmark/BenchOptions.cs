namespace SequentialNet.Benchmark;

/// <summary>Command-line options of the benchmark.</summary>
internal sealed record BenchOptions
{
    /// <summary>Fewer repetitions; the batch-32 epoch only, on a 10,000-sample subset.</summary>
    public bool Quick { get; init; }

    /// <summary>Skip the PyTorch / numpy reference entirely.</summary>
    public bool NoTorch { get; init; }

    /// <summary>Skip the GPU column even where a GPU works.</summary>
    public bool NoGpu { get; init; }

    /// <summary>Only the GPU column (the CPU MLP rows and SGEMM are skipped).</summary>
    public bool GpuOnly { get; init; }

    /// <summary>Only the CNN rows (examples/FashionMnistCnn's model beside PyTorch, convolution vs SGEMM GFLOP/s).</summary>
    public bool Cnn { get; init; }

    /// <summary>Only the op-by-op profile of one training step of the CNN (no PyTorch, no timed epoch).</summary>
    public bool CnnProfile { get; init; }

    /// <summary>Batch sizes of the GPU column (seed MLP, one epoch each).</summary>
    public int[] GpuBatchSizes => Quick ? [32, 1024] : [32, 128, 1024];

    public int[] BatchSizes => Quick ? [32] : [32, 128];
    public int? TrainSubset => Quick ? 10_000 : null;
    public int WarmupSteps => Quick ? 50 : 200;
    /// <summary>Timed epochs per batch size; the fastest counts (the machine may be shared).</summary>
    public int TimedEpochs => Quick ? 1 : 2;
    public int PredictBatch => 1000;
    public int PredictReps => Quick ? 1 : 3;
    public int GemmReps => Quick ? 2 : 5;
    public double GemmMinSeconds => Quick ? 0.05 : 0.2;

    public const string Usage = """
        Sequential.Net benchmark: the seed MLP (Fit one epoch, Predict) and SGEMM against PyTorch / numpy.
        Usage: dotnet run -c Release --project examples/Benchmark [-- options]
          --quick      fewer repetitions; the batch-32 epoch only, on a 10,000-sample subset
          --no-torch   do not run the PyTorch / numpy reference
          --no-gpu     skip the GPU column (seed MLP at batch 32, 128, 1024 on CUDA device 0, beside torch.cuda)
          --gpu-only   only the GPU column
          --cnn        only the CNN rows: the Keras tutorial CNN (one epoch at batch 128, Predict) beside PyTorch at
                       1 thread and ours, and convolution forward GFLOP/s beside SGEMM at the same GEMM shape
          --cnn-profile  only the op-by-op time of one CNN training step at batch 128
          -h, --help   this text
        Other modes (each alone):
          --hostile [names…]           load each file of the hostile-file suite in a fresh process: outcome, time, peak memory
          --compile-scaling [layers…]  Compile and first-plan time of Dense(1) chains (default 1024 4096 16384 65536 layers)
        Threads: SEQUENTIAL_NET_THREADS (ours); the reference uses the same count.
        """;

    /// <summary>Parses <paramref name="args"/>; null means "print usage and exit" (help or an unknown option).</summary>
    public static BenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var options = new BenchOptions();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--quick": options = options with { Quick = true }; break;
                case "--no-torch": options = options with { NoTorch = true }; break;
                case "--no-gpu": options = options with { NoGpu = true }; break;
                case "--gpu-only": options = options with { GpuOnly = true }; break;
                case "--cnn": options = options with { Cnn = true }; break;
                case "--cnn-profile": options = options with { CnnProfile = true }; break;
                case "-h" or "--help": return null;
                default: error = $"unknown option \"{arg}\""; return null;
            }
        }
        if (options.NoGpu && options.GpuOnly)
        {
            error = "--no-gpu and --gpu-only exclude each other";
            return null;
        }
        return options;
    }
}
