using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Benchmark;

/// <summary>One timed epoch of the seed MLP; the working set after a compacting GC just before the timed Fit, and its peak during it.</summary>
internal sealed record MlpResult(int BatchSize, int Samples, double Seconds, double Loss, double Accuracy, long? PeakWorkingSetBytes, bool PeakCoversFitOnly, long WorkingSetBeforeBytes = 0)
{
    public double SamplesPerSecond => Samples / Seconds;
}

/// <summary>Predict throughput on the test set.</summary>
internal sealed record PredictResult(int BatchSize, int Samples, double Seconds)
{
    public double SamplesPerSecond => Samples / Seconds;
}

/// <summary>
/// The seed MLP (Dense 128 relu → Dropout 0.2 → Dense 10 softmax, Adam 1e-3, sparse categorical
/// cross-entropy, accuracy): a short warm-up Fit, then one timed shuffled epoch per batch size, then Predict.
/// </summary>
internal static class MlpBench
{
    /// <summary>The seed MLP compiled for <paramref name="device"/> ("cpu" or "cuda": never the automatic choice, so a column means one device).</summary>
    public static Sequential NewModel(int features, string device)
    {
        Utils.SetRandomSeed(42);
        var model = new Sequential(
            new Dense(128, activation: "relu", inputShape: [features]),
            new Dropout(0.2),
            new Dense(10, activation: "softmax"));
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], device: device);
        return model;
    }

    /// <summary>
    /// Warm-up (≈<paramref name="warmupSteps"/> steps, same tail batch shape), then <paramref name="timedEpochs"/>
    /// separately timed one-epoch Fit calls; the fastest counts, the loss and accuracy are the first epoch's.
    /// </summary>
    public static MlpResult Fit(Sequential model, Tensor x, Tensor y, int batchSize, int warmupSteps, int timedEpochs, bool measurePeak)
    {
        int n = x.RowCount;
        int warm = Math.Min(n, warmupSteps * batchSize + n % batchSize);
        model.Fit(x.Rows(0, warm), y.Rows(0, warm), epochs: 1, batchSize: batchSize, verbose: 0, shuffle: true);

        // The warm-up's row copies and anything the caller dropped go back to the OS before the baseline is read.
        long before = PeakMemory.CompactAndMeasure();
        bool peakReset = measurePeak && PeakMemory.Reset();
        double best = double.MaxValue, loss = double.NaN, accuracy = double.NaN;
        for (int e = 0; e < Math.Max(1, timedEpochs); e++)
        {
            var sw = Stopwatch.StartNew();
            var history = model.Fit(x, y, epochs: 1, batchSize: batchSize, verbose: 0, shuffle: true);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            if (e == 0) (loss, accuracy) = (history["loss"][0], history["accuracy"][0]);
        }
        long? peak = measurePeak ? PeakMemory.PeakWorkingSet() : null;
        return new MlpResult(batchSize, n, best, loss, accuracy, peak, peakReset, before);
    }

    /// <summary>One warm-up Predict, then the median of <paramref name="reps"/> timed ones.</summary>
    public static PredictResult Predict(Sequential model, Tensor x, int batchSize, int reps)
    {
        model.Predict(x, batchSize: batchSize);
        var times = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            model.Predict(x, batchSize: batchSize);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        return new PredictResult(batchSize, x.RowCount, times[times.Count / 2]);
    }

    /// <summary>
    /// Writes the exact data we train on as raw float32 files (layout documented in torch_reference.py),
    /// so the reference trains on identical bytes.
    /// </summary>
    public static void WriteData(string folder, Tensor xTrain, Tensor yTrain, Tensor xTest)
    {
        WriteFloats(Path.Combine(folder, "x_train.f32"), xTrain.Data);
        WriteFloats(Path.Combine(folder, "y_train.f32"), yTrain.Data);
        WriteFloats(Path.Combine(folder, "x_test.f32"), xTest.Data);
        File.WriteAllText(Path.Combine(folder, "meta.json"), JsonSerializer.Serialize(new
        {
            train = xTrain.RowCount,
            test = xTest.RowCount,
            features = xTrain.Dim(1),
        }));
    }

    private static void WriteFloats(string path, float[] data)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("raw float32 files are written little-endian");
        using var f = File.Create(path);
        f.Write(MemoryMarshal.AsBytes(data.AsSpan()));
    }
}
