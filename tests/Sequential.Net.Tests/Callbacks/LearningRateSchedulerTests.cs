using SequentialNet.Callbacks;
using static SequentialNet.Tests.Callbacks.CallbackTestModels;

namespace SequentialNet.Tests.Callbacks;

/// <summary>LearningRateScheduler sets the rate at each epoch start; the device uses it.</summary>
public class LearningRateSchedulerTests
{
    [Test]
    public void ScheduledRatesAreLoggedAndUsed()
    {
        double[] rates = [0.25, 0.1, 0.4];
        var model = OneWeight(0.01);
        var weights = new List<double>();
        var seen = new List<double>();
        var scheduler = new LearningRateScheduler((epoch, lr) => { seen.Add(lr); return rates[epoch]; });
        var recorder = new LambdaCallback(onEpochEnd: (_, _) => weights.Add(model.GetWeights()[0].Data[0]));
        var (x, y) = OneSample();
        var history = model.Fit(x, y, epochs: 3, batchSize: 1, verbose: 0, callbacks: [scheduler, recorder]);

        Assert.That(history["learning_rate"], Is.EqualTo(rates).Within(1e-7));
        Assert.That(seen, Is.EqualTo(new[] { 0.01, 0.25, 0.1 }).Within(1e-7), "the schedule gets the current rate");
        double w = 1;
        for (int epoch = 0; epoch < 3; epoch++)
        {
            w *= 1 - 2 * rates[epoch];
            Assert.That(weights[epoch], Is.EqualTo(w).Within(1e-6), $"epoch {epoch}");
        }
        Assert.That(model.Optimizer!.LearningRate, Is.EqualTo(0.4));
    }

    [Test]
    public void TheEpochOnlyFormAndVerboseLine()
    {
        var output = new StringWriter();
        var model = OneWeight(0.01);
        var (x, y) = OneSample();
        model.Fit(x, y, epochs: 2, batchSize: 1, verbose: 0,
            callbacks: [new LearningRateScheduler(epoch => 0.1 / (epoch + 1), verbose: 1) { Output = output }]);
        Assert.That(output.ToString(), Does.Contain("Epoch 2: LearningRateScheduler setting learning rate to 0.05."));
    }

    [Test]
    public void ABadScheduleIsAnError()
    {
        var model = OneWeight(0.01);
        var (x, y) = OneSample();
        Assert.That(() => model.Fit(x, y, epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler(_ => double.NaN)]),
            Throws.InvalidOperationException.With.Message.Contains("Received: NaN"));
        Assert.That(() => new LearningRateScheduler((Func<int, double, double>)null!), Throws.ArgumentNullException);
    }
}
