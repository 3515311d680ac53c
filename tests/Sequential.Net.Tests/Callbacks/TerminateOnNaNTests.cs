using SequentialNet.Callbacks;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Callbacks;

/// <summary>TerminateOnNaN stops a diverging Fit at the first bad batch.</summary>
public class TerminateOnNaNTests
{
    [Test]
    public void StopsADivergingFit()
    {
        Utils.SetRandomSeed(13);
        var model = new Sequential(new Dense(1, inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 1e4), loss: "mse");
        var output = new StringWriter();
        var terminate = new TerminateOnNaN { Output = output };
        int batchesAfterStop = 0;
        var watcher = new LambdaCallback(onTrainBatchBegin: (_, _) => { if (terminate.StoppedBatch != null) batchesAfterStop++; });
        var history = model.Fit(Training.TestData.Random(64, 2, 1, scale: 10), Training.TestData.Random(64, 1, 2), epochs: 50,
            batchSize: 8, verbose: 0, callbacks: [terminate, watcher]);

        Assert.That(history.Epochs.Count, Is.LessThan(50));
        Assert.That(terminate.StoppedBatch, Is.Not.Null);
        Assert.That(batchesAfterStop, Is.Zero, "Fit leaves the epoch at once");
        Assert.That(double.IsFinite(history["loss"][^1]), Is.False);
        Assert.That(output.ToString(), Does.Contain($"Batch {terminate.StoppedBatch}: Invalid loss, terminating training"));
    }

    [Test]
    public void RaiseErrorThrowsAtTheFirstBadBatchWithoutTrainEnd()
    {
        Utils.SetRandomSeed(13);
        var model = new Sequential(new Dense(1, inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 1e4), loss: "mse");
        var terminate = new TerminateOnNaN(raiseError: true) { Output = new StringWriter() };
        bool trainEnded = false;
        var watcher = new LambdaCallback(onTrainEnd: _ => trainEnded = true);
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(Training.TestData.Random(64, 2, 1, scale: 10), Training.TestData.Random(64, 1, 2),
            epochs: 50, batchSize: 8, verbose: 0, callbacks: [terminate, watcher]))!;
        Assert.That(terminate.StoppedBatch, Is.Not.Null);
        Assert.That(e.Message, Does.Contain($"at batch {terminate.StoppedBatch}").And.Contain("TerminateOnNaN"));
        Assert.That(trainEnded, Is.False, "as Keras, raise_error skips on_train_end");
        Assert.That(model.Optimizer!.Iterations, Is.GreaterThan(0), "the steps taken before the error are counted");
        Assert.That(terminate.Output.ToString(), Is.Empty);
    }

    [Test]
    public void LeavesAHealthyFitAlone()
    {
        var model = new Sequential(new Dense(1, inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 0.01), loss: "mse");
        var history = model.Fit(Training.TestData.Random(16, 2, 1), Training.TestData.Random(16, 1, 2), epochs: 3, batchSize: 8,
            verbose: 0, callbacks: [new TerminateOnNaN()]);
        Assert.That(history.Epochs, Has.Count.EqualTo(3));
    }
}
