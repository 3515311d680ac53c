using SequentialNet.Optimizers;
using static SequentialNet.Tests.Optimizers.OptimizerFixtures;

namespace SequentialNet.Tests.Optimizers;

/// <summary>
/// Keras's decoupled weight decay, w ← w − w·wd·lr, applied to the pre-update weight after clipping and
/// before every optimizer's update; AdamW is Adam with it on by default.
/// </summary>
public class WeightDecayTests
{
    [Test]
    public void AdamWMatchesHandComputedKerasUpdates()
    {
        double w = 0.5, m = 0, v = 0, lr = 0.1, wd = 0.3;
        for (int t = 1; t <= 4; t++)
        {
            double g = 2 * w;
            w -= w * wd * lr;
            m += (g - m) * (1 - 0.9); v += (g * g - v) * (1 - 0.999);
            w -= lr * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t)) * m / (Math.Sqrt(v) + 1e-7);
        }
        Assert.That(TrainOneWeight(new AdamW(learningRate: lr, weightDecay: wd), 0.5f, 4), Is.EqualTo(w).Within(2e-6));
    }

    [Test]
    public void AdamWDefaultsAreKeras()
    {
        var o = new AdamW();
        Assert.That((o.LearningRate, o.WeightDecay, o.Beta1, o.Beta2, o.Epsilon), Is.EqualTo((1e-3, (double?)0.004, 0.9, 0.999, 1e-7)));
        Assert.That(o.Name, Is.EqualTo("adamw"));
        Assert.That(() => new AdamW(weightDecay: null), Throws.ArgumentException.With.Message.Contains("weightDecay"));
    }

    [Test]
    public void DecayActsOnThePreUpdateWeightAfterClipping()
    {
        // g = 2w = 4 is clipped to 0.5; decay: 2 − 2·0.5·0.1 = 1.9; update: 1.9 − 0.1·0.5 = 1.85.
        // (Decay after the update would give 1.8525; decay before clipping would change nothing here.)
        double w = 2;
        for (int t = 0; t < 3; t++)
        {
            double g = Math.Clamp(2 * w, -0.5, 0.5);
            w -= w * 0.5 * 0.1;
            w -= 0.1 * g;
        }
        var sgd = new SGD(learningRate: 0.1, weightDecay: 0.5, clipValue: 0.5);
        Assert.That(TrainOneWeight(sgd, 2f, 1), Is.EqualTo(1.85f).Within(1e-6));
        Assert.That(TrainOneWeight(new SGD(learningRate: 0.1, weightDecay: 0.5, clipValue: 0.5), 2f, 3), Is.EqualTo(w).Within(2e-6));
    }

    [Test]
    public void EveryOptimizerTakesWeightDecay()
    {
        foreach (var (with, without) in new (Optimizer, Optimizer)[]
        {
            (new SGD(0.1, weightDecay: 0.2), new SGD(0.1)),
            (new Adam(0.1, weightDecay: 0.2), new Adam(0.1)),
            (new RMSprop(0.1, weightDecay: 0.2), new RMSprop(0.1)),
            (new Adagrad(0.1, weightDecay: 0.2), new Adagrad(0.1)),
        })
        {
            float a = TrainOneWeight(with, 1f, 1), b = TrainOneWeight(without, 1f, 1);
            // The gradient is taken before the decay, so the difference is exactly the decay term w·wd·lr = 0.02.
            Assert.That(b - a, Is.EqualTo(0.02f).Within(1e-6), with.Name);
        }
    }

    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void RejectsInvalidWeightDecay(double wd)
        => Assert.That(() => new SGD(weightDecay: wd), Throws.ArgumentException.With.Message.EqualTo($"SGD: expected weightDecay >= 0. Received: {wd}. (Parameter 'weightDecay')"));
}
