using SequentialNet.Optimizers;
using static SequentialNet.Tests.Optimizers.OptimizerFixtures;

namespace SequentialNet.Tests.Optimizers;

/// <summary>Keras 3's Nadam (nadam.py): the momentum schedule's running product u_product on the device.</summary>
public class NadamTests
{
    /// <summary>Keras's update_step in float64 for w (g = 2w), from u_product = 1.</summary>
    private static double KerasNadam(double w, double lr, int steps, Func<int, double>? rate = null)
    {
        double m = 0, v = 0, product = 1, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        for (int t = 1; t <= steps; t++)
        {
            double g = 2 * w, lrT = rate?.Invoke(t - 1) ?? lr;
            double ut = b1 * (1 - 0.5 * Math.Pow(0.96, t)), ut1 = b1 * (1 - 0.5 * Math.Pow(0.96, t + 1));
            product *= ut;
            m += (g - m) * (1 - b1); v += (g * g - v) * (1 - b2);
            double mHat = ut1 * m / (1 - product * ut1) + (1 - ut) * g / (1 - product);
            w -= lrT * mHat / (Math.Sqrt(v / (1 - Math.Pow(b2, t))) + eps);
        }
        return w;
    }

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(12)]
    public void MatchesHandComputedKerasUpdates(int steps)
        => Assert.That(TrainOneWeight(new Nadam(learningRate: 0.1), 0.5f, steps), Is.EqualTo(KerasNadam(0.5, 0.1, steps)).Within(2e-6));

    [Test]
    public void FollowsAScheduleToo()
    {
        var schedule = new ExponentialDecay(0.1, 2, 0.5);
        Assert.That(TrainOneWeight(new Nadam(schedule), 0.5f, 5), Is.EqualTo(KerasNadam(0.5, 0, 5, t => schedule.Evaluate(t))).Within(2e-6));
    }

    [Test]
    public void DefaultsAndNamesAreKeras()
    {
        var o = new Nadam();
        Assert.That((o.LearningRate, o.Beta1, o.Beta2, o.Epsilon), Is.EqualTo((1e-3, 0.9, 0.999, 1e-7)));
        Assert.That(o.Name, Is.EqualTo("nadam"));
        Assert.That(Optimizer.Get("nadam"), Is.InstanceOf<Nadam>());
        Assert.That(o.GetConfig().Keys, Is.SupersetOf(new[] { "learning_rate", "beta_1", "beta_2", "epsilon" }));
        Assert.That(() => new Nadam(beta1: 1), Throws.ArgumentException.With.Message.Contains("beta1"));
        Assert.That(() => new Nadam(epsilon: 0), Throws.ArgumentException.With.Message.Contains("epsilon"));
    }
}
