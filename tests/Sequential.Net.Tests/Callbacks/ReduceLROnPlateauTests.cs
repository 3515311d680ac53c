using SequentialNet.Callbacks;
using static SequentialNet.Tests.Callbacks.CallbackTestModels;

namespace SequentialNet.Tests.Callbacks;

/// <summary>ReduceLROnPlateau follows Keras 3's logic, and the reduced rate is the one the device uses.</summary>
public class ReduceLROnPlateauTests
{
    [SetUp]
    public void Seed() => Utils.SetRandomSeed(12);

    [Test]
    public void ReducesAfterPatienceWithCooldownAndMinLr()
    {
        var model = OneWeight(1.0);
        var reduce = new ReduceLROnPlateau(factor: 0.5, patience: 2, cooldown: 1, minLr: 0.2);
        reduce.Model = model;
        reduce.OnTrainBegin(new Dictionary<string, double>());
        var rates = new List<double>();
        var logged = new List<double>();
        for (int epoch = 0; epoch < 9; epoch++)
        {
            var logs = new Dictionary<string, double> { ["val_loss"] = 1.0 };
            reduce.OnEpochEnd(epoch, logs);
            rates.Add(model.Optimizer!.LearningRate);
            logged.Add(logs["learning_rate"]);
        }
        // e0 best; e1 wait 1; e2 wait 2 → 0.5, cooldown; e3 cooldown; e4 wait 2 → 0.25; e5 cooldown; e6 → max(0.125, 0.2);
        // e7 cooldown; e8 wait 2 but lr is already minLr.
        Assert.That(rates, Is.EqualTo(new[] { 1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2 }));
        Assert.That(logged, Is.EqualTo(new[] { 1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2 }).Within(1e-7), "the rate the epoch used");
    }

    [Test]
    public void AnImprovementBiggerThanMinDeltaResetsTheWait()
    {
        var model = OneWeight(1.0);
        var reduce = new ReduceLROnPlateau(patience: 2, minDelta: 0.1);
        // 0.95 and 0.91 are within minDelta of 1.0 (no improvement); 0.85 is one.
        Drive(reduce, model, "val_loss", 1.0, 0.95, 0.85, 0.8);
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(1.0));
        Drive(reduce, model, "val_loss", 1.0, 0.95, 0.91);
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(0.1).Within(1e-12));
    }

    [Test]
    public void AutoModeMaximizesNamesWithAcc()
    {
        var model = OneWeight(1.0);
        Drive(new ReduceLROnPlateau(monitor: "val_accuracy", patience: 1), model, "val_accuracy", 0.5, 0.6, 0.7);
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(1.0));
        Drive(new ReduceLROnPlateau(monitor: "val_accuracy", patience: 1), model, "val_accuracy", 0.5, 0.4);
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(0.1).Within(1e-12));
    }

    [Test]
    public void TheReducedRateIsUsedOnTheDevice()
    {
        // loss = w² never "improves" under mode "max", so with patience 1 the rate halves at the end of epochs 1, 2, …
        var model = OneWeight(0.25);
        var weights = new List<double>();
        var recorder = new LambdaCallback(onEpochEnd: (_, _) => weights.Add(model.GetWeights()[0].Data[0]));
        var reduce = new ReduceLROnPlateau(monitor: "loss", mode: "max", factor: 0.5, patience: 1);
        var (x, y) = OneSample();
        var history = model.Fit(x, y, epochs: 4, batchSize: 1, verbose: 0, callbacks: [reduce, recorder]);

        double[] rates = [0.25, 0.25, 0.125, 0.0625];
        Assert.That(history["learning_rate"], Is.EqualTo(rates).Within(1e-9));
        double w = 1;
        for (int epoch = 0; epoch < 4; epoch++)
        {
            w *= 1 - 2 * rates[epoch];          // SGD on w²: w ← w − lr·2w
            Assert.That(weights[epoch], Is.EqualTo(w).Within(1e-6), $"epoch {epoch}");
        }
    }

    [Test]
    public void VerboseReportsTheNewRate()
    {
        var output = new StringWriter();
        Drive(new ReduceLROnPlateau(patience: 0, factor: 0.5, verbose: 1) { Output = output }, OneWeight(1.0), "val_loss", 1.0, 1.0);
        Assert.That(output.ToString(), Does.Contain("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.5."));
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        Assert.That(() => new ReduceLROnPlateau(factor: 1.0), Throws.ArgumentException.With.Message.Contains("Received: factor=1"));
        Assert.That(() => new ReduceLROnPlateau(factor: 0), Throws.ArgumentException);
        Assert.That(() => new ReduceLROnPlateau(patience: -1), Throws.ArgumentException);
        Assert.That(() => new ReduceLROnPlateau(cooldown: -1), Throws.ArgumentException);
        Assert.That(() => new ReduceLROnPlateau(minLr: -1), Throws.ArgumentException);
        Assert.That(() => new ReduceLROnPlateau(mode: "maximum"), Throws.ArgumentException.With.Message.Contains("Received: \"maximum\""));
    }
}
