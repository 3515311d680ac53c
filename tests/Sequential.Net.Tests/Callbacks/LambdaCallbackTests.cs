using SequentialNet.Callbacks;
using static SequentialNet.Tests.Callbacks.CallbackTestModels;

namespace SequentialNet.Tests.Callbacks;

/// <summary>LambdaCallback calls its delegates in Keras's order.</summary>
public class LambdaCallbackTests
{
    [Test]
    public void HooksFireInOrder()
    {
        var events = new List<string>();
        var callback = new LambdaCallback(
            onEpochBegin: (e, _) => events.Add($"epoch_begin {e}"),
            onEpochEnd: (e, logs) => events.Add($"epoch_end {e} {logs.ContainsKey("loss")}"),
            onTrainBegin: _ => events.Add("train_begin"),
            onTrainEnd: _ => events.Add("train_end"),
            onTrainBatchBegin: (b, _) => events.Add($"batch_begin {b}"),
            onTrainBatchEnd: (b, logs) => events.Add($"batch_end {b} {logs.ContainsKey("loss")}"));
        Linear().Fit(Training.TestData.Random(12, 2, 1), Training.TestData.Random(12, 1, 2), epochs: 2, batchSize: 8, verbose: 0,
            callbacks: [callback]);
        Assert.That(events, Is.EqualTo(new[]
        {
            "train_begin",
            "epoch_begin 0", "batch_begin 0", "batch_end 0 True", "batch_begin 1", "batch_end 1 True", "epoch_end 0 True",
            "epoch_begin 1", "batch_begin 0", "batch_end 0 True", "batch_begin 1", "batch_end 1 True", "epoch_end 1 True",
            "train_end",
        }));
    }

    [Test]
    public void BatchLogsAreReadOnlyWhenABatchDelegateIsGiven()
    {
        Assert.That(new LambdaCallback(onEpochEnd: (_, _) => { }).WantsBatchLogs, Is.False);
        Assert.That(new LambdaCallback(onTrainBatchEnd: (_, _) => { }).WantsBatchLogs, Is.True);
        Assert.That(new LambdaCallback(onTrainBatchBegin: (_, _) => { }).WantsBatchLogs, Is.True);
        Assert.That(new EarlyStopping().WantsBatchLogs, Is.False);
        Assert.That(new TerminateOnNaN().WantsBatchLogs, Is.True);
    }
}
