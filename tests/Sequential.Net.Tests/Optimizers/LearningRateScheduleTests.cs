using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Optimizers;

/// <summary>
/// Keras 3's learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py): the host
/// reference <see cref="LearningRateSchedule.Evaluate"/> against values computed by hand from Keras's formulas.
/// </summary>
public class LearningRateScheduleTests
{
    private const double Tol = 1e-12;

    [TestCase(false, 0, 0.1)]
    [TestCase(false, 5, 0.07071067811865475)] // 0.1·0.5^0.5
    [TestCase(false, 10, 0.05)]
    [TestCase(false, 25, 0.01767766952966369)] // 0.1·0.5^2.5
    [TestCase(true, 0, 0.1)]
    [TestCase(true, 5, 0.1)]
    [TestCase(true, 10, 0.05)]
    [TestCase(true, 25, 0.025)]
    public void ExponentialDecayIsKeras(bool staircase, long step, double expected)
        => Assert.That(new ExponentialDecay(0.1, 10, 0.5, staircase).Evaluate(step), Is.EqualTo(expected).Within(Tol));

    [TestCase(false, 0, 0.1)]
    [TestCase(false, 5, 0.08)] // 0.1/(1 + 0.5·0.5)
    [TestCase(false, 10, 0.1 / 1.5)]
    [TestCase(false, 25, 0.1 / 2.25)]
    [TestCase(true, 5, 0.1)]
    [TestCase(true, 10, 0.1 / 1.5)]
    [TestCase(true, 25, 0.05)] // 0.1/(1 + 0.5·2)
    public void InverseTimeDecayIsKeras(bool staircase, long step, double expected)
        => Assert.That(new InverseTimeDecay(0.1, 10, 0.5, staircase).Evaluate(step), Is.EqualTo(expected).Within(Tol));

    [TestCase(0, 1.0)]
    [TestCase(10, 1.0)] // Keras: step <= boundaries[0] → values[0]
    [TestCase(11, 0.5)]
    [TestCase(20, 0.5)]
    [TestCase(21, 0.1)]
    [TestCase(100000, 0.1)]
    public void PiecewiseConstantDecayIsKeras(long step, double expected)
        => Assert.That(new PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]).Evaluate(step), Is.EqualTo(expected));

    [TestCase(0, 1.0)]
    [TestCase(25, 0.5 * (1 + 0.7071067811865476))]
    [TestCase(50, 0.5)]
    [TestCase(100, 0.0)]
    [TestCase(1000, 0.0)] // held at the end
    public void CosineDecayIsKeras(long step, double expected)
        => Assert.That(new CosineDecay(1.0, 100).Evaluate(step), Is.EqualTo(expected).Within(Tol));

    [TestCase(0, 0.0)] // warmup from initialLearningRate 0
    [TestCase(5, 0.1)] // halfway to the target 0.2
    [TestCase(10, 0.2)] // end of warmup: the target
    [TestCase(60, 0.11)] // 0.2·((1 − 0.1)·½(1 + cos(π/2)) + 0.1)
    [TestCase(110, 0.02)] // end: alpha·target
    [TestCase(500, 0.02)]
    public void CosineDecayWithWarmupIsKeras(long step, double expected)
        => Assert.That(new CosineDecay(0.0, 100, alpha: 0.1, warmupTarget: 0.2, warmupSteps: 10).Evaluate(step), Is.EqualTo(expected).Within(Tol));

    [Test]
    public void DefaultsAndConfigsAreKeras()
    {
        var cosine = new CosineDecay(0.1, 1000);
        Assert.That((cosine.Alpha, cosine.WarmupTarget, cosine.WarmupSteps), Is.EqualTo((0.0, (double?)null, 0)));
        Assert.That(new ExponentialDecay(0.1, 10, 0.9).Staircase, Is.False);
        Assert.That(new InverseTimeDecay(0.1, 10, 0.9).Staircase, Is.False);
        Assert.That(cosine.GetConfig().Keys, Is.EquivalentTo(new[] { "initial_learning_rate", "decay_steps", "alpha", "name", "warmup_target", "warmup_steps" }));
        Assert.That(new ExponentialDecay(0.1, 10, 0.9).GetConfig().Keys, Is.EquivalentTo(new[] { "initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name" }));
        Assert.That(new PiecewiseConstantDecay([1], [0.1, 0.2]).GetConfig()["name"], Is.EqualTo("PiecewiseConstantDecay"));
    }

    [Test]
    public void BadArgumentsAreClearErrors()
    {
        Assert.That(() => new ExponentialDecay(0.1, 0, 0.5), Throws.ArgumentException.With.Message.Contains("decaySteps").And.Message.Contains("> 0"));
        Assert.That(() => new CosineDecay(0.1, -3), Throws.ArgumentException.With.Message.Contains("decaySteps"));
        Assert.That(() => new InverseTimeDecay(double.NaN, 10, 0.5), Throws.ArgumentException.With.Message.Contains("initialLearningRate"));
        Assert.That(() => new CosineDecay(0.1, 10, warmupSteps: -1), Throws.ArgumentException.With.Message.Contains("warmupSteps"));
        Assert.That(() => new PiecewiseConstantDecay([10, 20], [0.1, 0.2]), Throws.ArgumentException.With.Message.Contains("1 less than the length of values"));
        Assert.That(() => new PiecewiseConstantDecay([20, 10], [0.1, 0.2, 0.3]), Throws.ArgumentException.With.Message.Contains("increasing"));
        Assert.That(() => new ExponentialDecay(0.1, 10, 0.5).Evaluate(-1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
