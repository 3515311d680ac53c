using SequentialNet.Callbacks;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Optimizers;

/// <summary>
/// A schedule is evaluated on the device before every step, at the iterations before the update, inside
/// an epoch (not once per epoch like a callback-set rate); it refuses the callbacks that set the rate.
/// </summary>
public class ScheduledTrainingTests
{
    /// <summary>SGD on w (x = 1, y = 0, MSE: g = 2w), <paramref name="steps"/> rows, batch 1, one epoch.</summary>
    private static (float W, Optimizer Optimizer) Train(LearningRateSchedule schedule, float w0, int steps)
    {
        var sgd = new SGD(schedule);
        using var model = new Sequential(new Dense(1, useBias: false, inputShape: [1]));
        model.Compile(optimizer: sgd, loss: "mse");
        model.SetWeights([new Tensor([w0], 1, 1)]);
        model.Fit(new Tensor(Enumerable.Repeat(1f, steps).ToArray(), steps, 1), new Tensor(new float[steps], steps, 1), batchSize: 1, epochs: 1, verbose: 0);
        return (model.GetWeights()[0].Data[0], sgd);
    }

    private static IEnumerable<TestCaseData> Schedules()
    {
        yield return new TestCaseData(new PiecewiseConstantDecay([1, 2], [0.1, 0.05, 0.2])).SetName("piecewise constant");
        yield return new TestCaseData(new ExponentialDecay(0.2, 1, 0.5)).SetName("exponential");
        yield return new TestCaseData(new InverseTimeDecay(0.2, 1, 1.0, staircase: true)).SetName("inverse time");
        yield return new TestCaseData(new CosineDecay(0.0, 4, alpha: 0.1, warmupTarget: 0.3, warmupSteps: 2)).SetName("cosine with warmup");
    }

    [TestCaseSource(nameof(Schedules))]
    public void TheWeightFollowsTheScheduledRateEveryStep(LearningRateSchedule schedule)
    {
        double w = 0.75;
        for (int steps = 1; steps <= 4; steps++)
        {
            w *= 1 - 2 * (float)schedule.Evaluate(steps - 1);
            var (trained, optimizer) = Train(schedule, 0.75f, steps);
            Assert.That(trained, Is.EqualTo(w).Within(1e-6), $"after {steps} steps");
            Assert.That(optimizer.Iterations, Is.EqualTo(steps));
            Assert.That(optimizer.LearningRate, Is.EqualTo(schedule.Evaluate(steps)), "LearningRate reads the schedule at iterations");
        }
    }

    [Test]
    public void AScheduledRateCannotBeSet()
    {
        var sgd = new SGD(new ExponentialDecay(0.1, 10, 0.5));
        Assert.That(() => sgd.LearningRate = 0.5, Throws.InvalidOperationException.With.Message.Contains("LearningRateSchedule").And.Message.Contains("not settable"));
        Assert.That(sgd.LearningRate, Is.EqualTo(0.1));
        Assert.That(sgd.Schedule, Is.InstanceOf<ExponentialDecay>());
        Assert.That(new SGD(learningRate: 1e-3).Schedule, Is.Null);
        Assert.That(() => new Adam((LearningRateSchedule)null!), Throws.ArgumentNullException);
    }

    [Test]
    public void LearningRateSchedulerRefusesAScheduledOptimizer()
    {
        using var model = new Sequential(new Dense(1, inputShape: [1]));
        model.Compile(optimizer: new Adam(new CosineDecay(0.01, 100)), loss: "mse");
        var x = new Tensor([1f, 2f], 2, 1);
        Assert.That(() => model.Fit(x, x, epochs: 2, verbose: 0, callbacks: [new LearningRateScheduler(epoch => 0.1)]),
            Throws.InvalidOperationException.With.Message.Contains("LearningRateSchedule"));
    }

    [Test]
    public void ReduceLROnPlateauRefusesAScheduledOptimizer()
    {
        using var model = new Sequential(new Dense(1, inputShape: [1]));
        model.Compile(optimizer: new SGD(new ExponentialDecay(1e-9, 10, 0.5)), loss: "mse");
        var x = new Tensor([1f, 2f], 2, 1);
        // A rate this small cannot improve the loss by minDelta, so the plateau is reached after one epoch.
        Assert.That(() => model.Fit(x, x, epochs: 4, verbose: 0, callbacks: [new ReduceLROnPlateau(monitor: "loss", patience: 0, minDelta: 1)]),
            Throws.InvalidOperationException.With.Message.Contains("not settable"));
    }
}
