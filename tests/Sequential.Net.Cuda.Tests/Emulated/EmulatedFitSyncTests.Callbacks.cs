using SequentialNet.Callbacks;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

// Batch callbacks keep Keras's semantics: the logs they read are this step's; reading costs a synchronization.
public partial class EmulatedFitSyncTests
{
    /// <summary>Overrides the batch-end hook but never reads the logs (counts batches).</summary>
    private sealed class BatchCounter(Func<int> syncs) : Callback
    {
        public List<int> SyncsAtBatchEnd { get; } = [];
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => SyncsAtBatchEnd.Add(syncs());
    }

    [Test]
    public void BatchCallbackThatDoesNotReadItsLogsCausesNoSynchronization()
    {
        // Before: any batch hook made Fit read the logs back after every step.
        RequireEmulator();
        var (x, y) = Data();
        EmulatedDevice? device = null;
        BatchCounter? counter = null;
        OnEmulatedCuda(() =>
        {
            using var model = NewModel("cuda");
            counter = new BatchCounter(() => device!.HostSynchronizations);
            model.Fit(x, y, epochs: 1, batchSize: Batch, verbose: 1, callbacks: [counter], shuffle: false);
        }, d => device = d);
        Assert.That(counter!.SyncsAtBatchEnd, Has.Count.EqualTo(Steps));
        Assert.That(counter.SyncsAtBatchEnd, Is.All.EqualTo(counter.SyncsAtBatchEnd[0]));
    }

    [Test]
    public void BatchCallbackThatReadsItsLogsGetsEachStepsValues()
    {
        RequireEmulator();
        var (x, y) = Data();
        var expected = CpuBatchLosses(epochs: 1);
        EmulatedDevice? device = null;
        var reader = new LossReader();
        int before = 0, after = 0;
        OnEmulatedCuda(() =>
        {
            using var model = NewModel("cuda");
            var probe = new SyncProbe(() => device!.HostSynchronizations);
            model.Fit(x, y, epochs: 1, batchSize: Batch, verbose: 0, callbacks: [reader, probe], shuffle: false);
            (before, after) = (probe.AtBatchBegin[0][0], probe.AtBatchBegin[0][^1]);
        }, d => device = d);
        Assert.That(reader.Losses, Has.Count.EqualTo(Steps));
        for (int i = 0; i < Steps; i++)
            Assert.That(reader.Losses[i], Is.EqualTo(expected[i]).Within(1e-6 + 1e-5 * Math.Abs(expected[i])), $"step {i + 1}");
        Assert.That(after - before, Is.EqualTo(Steps - 1), "reading a step's logs waits for that step: one synchronization per step read");
    }
}
