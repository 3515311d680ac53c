using System.Globalization;
using System.Text.RegularExpressions;
using SequentialNet.Callbacks;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// No host synchronization inside an epoch's steps (docs/design-notes.md, "The GPU path before its first run"):
/// the progress bar's values are read behind the queued steps into pinned memory and shown when they land,
/// labelled with their step; batch callbacks that do not read their logs cost nothing; one that reads them gets
/// the values of that step (and pays one synchronization per step). Counted by the emulated device.
/// </summary>
[Category("Emulated"), NonParallelizable]
public partial class EmulatedFitSyncTests
{
    private const int Rows = 304, Batch = 8, Steps = Rows / Batch;

    /// <summary>Records the device's synchronization count at every batch begin and epoch end; never reads the logs.</summary>
    private sealed class SyncProbe(Func<int> syncs) : Callback
    {
        public List<List<int>> AtBatchBegin { get; } = [];
        public List<int> AtEpochEnd { get; } = [];

        public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => AtBatchBegin.Add([]);
        public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => AtBatchBegin[^1].Add(syncs());
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => AtEpochEnd.Add(syncs());
    }

    /// <summary>Keeps each batch's "loss" (reads the logs, so each step is read back).</summary>
    private sealed class LossReader : Callback
    {
        public List<double> Losses { get; } = [];
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Losses.Add(logs["loss"]);
    }

    private static (Tensor X, Tensor Y) Data()
    {
        var random = new Random(21);
        var x = new Tensor(Enumerable.Range(0, Rows * 5).Select(_ => (float)random.NextDouble()).ToArray(), Rows, 5);
        var y = Tensor.FromLabels(Enumerable.Range(0, Rows).Select(i => i % 3).ToArray());
        return (x, y);
    }

    private static Sequential NewModel(string device)
    {
        Utils.SetRandomSeed(5);
        var model = new Sequential(new Dense(12, activation: "relu", inputShape: [5]), new Dense(3, activation: "softmax"));
        model.Compile(optimizer: new Adam(), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], device: device);
        return model;
    }

    /// <summary>Each batch's running loss on the CPU backend: the expected values.</summary>
    private static List<double> CpuBatchLosses(int epochs)
    {
        var (x, y) = Data();
        using var model = NewModel("cpu");
        var reader = new LossReader();
        model.Fit(x, y, epochs: epochs, batchSize: Batch, verbose: 0, callbacks: [reader], shuffle: false);
        return reader.Losses;
    }

    [Test]
    public void ProgressBarShowsEachValueLateWithNoSynchronizationInsideTheEpoch()
    {
        // Before: the bar's redraw read the accumulators with a blocking copy (a stream drain per redraw; with the
        // bar drawing at every chance, one per step). Now: 0 inside the steps, one at each epoch end.
        RequireEmulator();
        const int epochs = 2;
        var (x, y) = Data();
        var output = new StringWriter();
        EmulatedDevice? device = null;
        SyncProbe? probe = null;
        OnEmulatedCuda(() =>
        {
            using var model = NewModel("cuda");
            probe = new SyncProbe(() => device!.HostSynchronizations);
            var bar = new ProgbarLogger(1, output) { RedrawInterval = 0 };    // draw at every chance
            model.Fit(x, y, epochs: epochs, batchSize: Batch, verbose: 1, callbacks: [bar, probe], shuffle: false);
        }, d => { device = d; d.EventPollsBeforeDone = 1; });     // a read lands two steps after it was queued
        for (int e = 0; e < epochs; e++)
        {
            var counts = probe!.AtBatchBegin[e];
            Assert.That(counts, Has.Count.EqualTo(Steps));
            Assert.That(counts, Is.All.EqualTo(counts[0]), $"epoch {e}: no host synchronization between the first and the last step's begin");
            Assert.That(probe.AtEpochEnd[e] - counts[^1], Is.EqualTo(1), $"epoch {e}: the last step and the epoch end read back once");
        }
        Assert.That(device!.AsyncReads, Is.GreaterThan(2 * epochs), "the bar's values came through queued reads");

        // Each intermediate line shows the running loss of the step it names (read late, labelled right).
        var expected = CpuBatchLosses(epochs);
        var lines = output.ToString().Split('\n').Select(l => BarLine().Match(l)).Where(m => m.Success).ToList();
        int intermediate = 0, epoch = 0;
        foreach (var m in lines)
        {
            int step = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (step == Steps) { epoch++; continue; }    // the final line shows the epoch logs
            intermediate++;
            double loss = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            double want = expected[epoch * Steps + step - 1];
            Assert.That(loss, Is.EqualTo(want).Within(1e-4 + 1e-4 * Math.Abs(want)), $"epoch {epoch + 1}, step {step}: {m.Value}");   // 4 decimals shown
        }
        Assert.That(intermediate, Is.GreaterThan(2 * epochs), "the bar drew during the epochs");
    }

    [GeneratedRegex(@"^\s*(\d+)/\d+ .* - loss: ([0-9.eE+-]+)")]
    private static partial Regex BarLine();
}
