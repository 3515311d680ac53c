using SequentialNet.Callbacks;
using static SequentialNet.Tests.Callbacks.CallbackTestModels;

namespace SequentialNet.Tests.Callbacks;

/// <summary>EarlyStopping follows Keras 3's logic (docs/keras-semantics.md, Callbacks).</summary>
public class EarlyStoppingTests
{
    [SetUp]
    public void Seed() => Utils.SetRandomSeed(11);

    [Test]
    public void StopsWhenPatienceRunsOut()
    {
        var stop = new EarlyStopping(patience: 2);
        // best 0.9 at epoch 1; epochs 2 and 3 do not improve: wait reaches 2 at epoch 3.
        Assert.That(Drive(stop, Linear(), "val_loss", 1.0, 0.9, 0.95, 0.93, 0.92), Is.EqualTo(3));
        Assert.That(stop.StoppedEpoch, Is.EqualTo(3));
        Assert.That(stop.Best, Is.EqualTo(0.9));
        Assert.That(stop.BestEpoch, Is.EqualTo(1));
    }

    [Test]
    public void PatienceZeroStopsAtTheFirstNonImprovingEpochButNeverAtEpochZero()
    {
        Assert.That(Drive(new EarlyStopping(patience: 0), Linear(), "val_loss", 1.0, 0.9, 0.9), Is.EqualTo(2));
        Assert.That(Drive(new EarlyStopping(patience: 0), Linear(), "val_loss", 1.0), Is.Null);
    }

    [Test]
    public void MinDeltaIsTheSmallestImprovement()
    {
        // 1.0 → 0.96 is an improvement of 0.04 < 0.05: not counted.
        Assert.That(Drive(new EarlyStopping(minDelta: 0.05, patience: 1), Linear(), "val_loss", 1.0, 0.96, 0.5), Is.EqualTo(1));
        Assert.That(Drive(new EarlyStopping(minDelta: -0.05, patience: 1), Linear(), "val_loss", 1.0, 0.96, 0.5), Is.EqualTo(1), "the sign is ignored");
        Assert.That(Drive(new EarlyStopping(minDelta: 0, patience: 1), Linear(), "val_loss", 1.0, 0.96, 0.5), Is.Null);
    }

    [Test]
    public void AutoModeMaximizesAnAccuracyAndMinimizesALoss()
    {
        Assert.That(Drive(new EarlyStopping(monitor: "val_accuracy", patience: 1), Linear("accuracy"), "val_accuracy", 0.5, 0.6, 0.55), Is.EqualTo(2));
        Assert.That(Drive(new EarlyStopping(monitor: "val_loss", patience: 1), Linear(), "val_loss", 0.5, 0.6), Is.EqualTo(1));
        Assert.That(Drive(new EarlyStopping(monitor: "custom_loss", patience: 1), Linear(), "custom_loss", 0.5, 0.4, 0.3), Is.Null);
    }

    [Test]
    public void ExplicitModeOverridesTheName()
    {
        Assert.That(Drive(new EarlyStopping(monitor: "loss", mode: "max", patience: 1), Linear(), "loss", 0.5, 0.4), Is.EqualTo(1));
        Assert.That(Drive(new EarlyStopping(monitor: "score", mode: "min", patience: 1), Linear(), "score", 0.5, 0.6), Is.EqualTo(1));
    }

    [Test]
    public void AutoModeOnAnUnknownNameIsAnError()
    {
        Assert.That(() => Drive(new EarlyStopping(monitor: "score"), Linear(), "score", 0.5),
            Throws.ArgumentException.With.Message.Contains("mode: \"max\""));
    }

    [Test]
    public void WaitResetsOnlyOnImprovementsThatAlsoBeatTheBaseline()
    {
        // Without a baseline: improvements at 0 and 1 reset wait; epoch 2 makes it 1 < 2.
        Assert.That(Drive(new EarlyStopping(patience: 2), Linear(), "val_loss", 0.9, 0.8, 0.85), Is.Null);
        // Baseline 0.5 is never beaten: wait counts 1, 2 (improvements do not reset it), 3 → stop at epoch 2.
        var stop = new EarlyStopping(patience: 2, baseline: 0.5);
        Assert.That(Drive(stop, Linear(), "val_loss", 0.9, 0.8, 0.85), Is.EqualTo(2));
        Assert.That(stop.Wait, Is.EqualTo(3));
        // Once the baseline is beaten the wait resets.
        Assert.That(Drive(new EarlyStopping(patience: 2, baseline: 0.5), Linear(), "val_loss", 0.9, 0.4, 0.45), Is.Null);
    }

    [Test]
    public void EpochsBeforeStartFromEpochAreNotWatched()
    {
        // Epochs 0 and 1 are ignored; the first watched epoch (2) is the best.
        var stop = new EarlyStopping(patience: 1, startFromEpoch: 2);
        Assert.That(Drive(stop, Linear(), "val_loss", 0.1, 0.2, 0.9, 0.95), Is.EqualTo(3));
        Assert.That(stop.BestEpoch, Is.EqualTo(2));
    }

    [Test]
    public void AMissingMonitorIsAWarningNotAnError()
    {
        var output = new StringWriter();
        var stop = new EarlyStopping(monitor: "val_loss", patience: 0) { Output = output };
        Assert.That(Drive(stop, Linear(), "loss", 1.0, 2.0, 3.0), Is.Null);
        Assert.That(output.ToString(), Does.Contain("`val_loss` which is not available. Available metrics are: loss"));
    }

    [Test]
    public void StateIsResetAtEachFit()
    {
        var stop = new EarlyStopping(patience: 1);
        var model = Linear();
        Assert.That(Drive(stop, model, "val_loss", 1.0, 2.0), Is.EqualTo(1));
        Assert.That(Drive(stop, model, "val_loss", 5.0, 4.0, 3.0), Is.Null, "the old best (1.0) is forgotten");
        Assert.That(stop.StoppedEpoch, Is.EqualTo(0));
    }

    [Test]
    public void StopsARealFitAndRestoresTheBestEpochsWeights()
    {
        // With SGD on a linear regression the loss falls every epoch, so under mode "max" epoch 0 is the best.
        var model = Linear();
        var snapshots = new List<Tensor[]>();
        var recorder = new LambdaCallback(onEpochEnd: (_, _) => snapshots.Add(model.GetWeights()));
        var output = new StringWriter();
        var stop = new EarlyStopping(monitor: "loss", mode: "max", patience: 2, restoreBestWeights: true, verbose: 1) { Output = output };
        var (x, y) = (Training.TestData.Random(32, 2, 1), Training.TestData.Random(32, 1, 2));
        var history = model.Fit(x, y, epochs: 20, batchSize: 8, verbose: 0, callbacks: [recorder, stop]);

        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(output.ToString(), Does.Contain("Epoch 3: early stopping"));
        Assert.That(output.ToString(), Does.Contain("Restoring model weights from the end of the best epoch: 1."));
        AssertWeights(model.GetWeights(), snapshots[0]);
        Assert.That(snapshots[2][0].Data, Is.Not.EqualTo(snapshots[0][0].Data), "training did change the weights");
        // The restored weights are the ones the device uses next.
        var predicted = model.Predict(x);
        Assert.That(predicted.Data[0], Is.EqualTo(x.Data[0] * snapshots[0][0].Data[0] + x.Data[1] * snapshots[0][0].Data[1] + snapshots[0][1].Data[0]).Within(1e-5));
    }

    [Test]
    public void RestoresTheBestWeightsAlsoWhenTrainingWasNotStopped()
    {
        // Keras 3 (unlike Keras 2) restores in on_train_end whenever restore_best_weights is set.
        var model = Linear();
        var snapshots = new List<Tensor[]>();
        var recorder = new LambdaCallback(onEpochEnd: (_, _) => snapshots.Add(model.GetWeights()));
        var stop = new EarlyStopping(monitor: "loss", mode: "max", patience: 100, restoreBestWeights: true);
        var history = model.Fit(Training.TestData.Random(32, 2, 1), Training.TestData.Random(32, 1, 2), epochs: 4, batchSize: 8,
            verbose: 0, callbacks: [recorder, stop]);
        Assert.That(history.Epochs, Has.Count.EqualTo(4));
        Assert.That(stop.StoppedEpoch, Is.EqualTo(0));
        AssertWeights(model.GetWeights(), snapshots[0]);
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        Assert.That(() => new EarlyStopping(patience: -1), Throws.ArgumentException.With.Message.Contains("expected patience >= 0. Received: -1"));
        Assert.That(() => new EarlyStopping(mode: "up"), Throws.ArgumentException.With.Message.Contains("Received: \"up\""));
        Assert.That(() => new EarlyStopping(monitor: ""), Throws.ArgumentException);
        Assert.That(() => new EarlyStopping(startFromEpoch: -2), Throws.ArgumentException);
        Assert.That(() => new EarlyStopping(minDelta: double.NaN), Throws.ArgumentException);
    }

    private static void AssertWeights(Tensor[] actual, Tensor[] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++) Assert.That(actual[i].Data, Is.EqualTo(expected[i].Data), $"weight {i}");
    }
}
