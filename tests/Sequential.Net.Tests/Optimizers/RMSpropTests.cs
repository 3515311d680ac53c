using SequentialNet.Optimizers;
using static SequentialNet.Tests.Optimizers.OptimizerFixtures;

namespace SequentialNet.Tests.Optimizers;

/// <summary>RMSprop against Keras's rmsprop.py update, computed by hand in float64.</summary>
public class RMSpropTests
{
    private static double Keras(double w, int steps, double lr, double rho, double momentum, double eps, bool centered)
    {
        double v = 0, m = 0, a = 0;
        for (int t = 0; t < steps; t++)
        {
            double g = 2 * w;
            v = rho * v + (1 - rho) * g * g;
            double denominator;
            if (centered) { a = rho * a + (1 - rho) * g; denominator = v - a * a + eps; }
            else denominator = v + eps;
            double increment = lr * g / Math.Sqrt(denominator);
            if (momentum > 0) { m = momentum * m + increment; w -= m; }
            else w -= increment;
        }
        return w;
    }

    [TestCase(0.0, false)]
    [TestCase(0.9, false)]
    [TestCase(0.0, true)]
    [TestCase(0.5, true)]
    public void MatchesHandComputedKerasUpdates(double momentum, bool centered)
    {
        float w = TrainOneWeight(new RMSprop(learningRate: 0.01, rho: 0.8, momentum: momentum, centered: centered), 0.5f, 4);
        Assert.That(w, Is.EqualTo(Keras(0.5, 4, 0.01, 0.8, momentum, 1e-7, centered)).Within(2e-6));
    }

    [Test]
    public void DefaultsAreKeras()
    {
        var o = new RMSprop();
        Assert.That((o.LearningRate, o.Rho, o.Momentum, o.Epsilon, o.Centered), Is.EqualTo((1e-3, 0.9, 0.0, 1e-7, false)));
        Assert.That(o.WeightDecay, Is.Null);
        Assert.That(TrainOneWeight(new RMSprop(), 0.5f, 3), Is.EqualTo(Keras(0.5, 3, 1e-3, 0.9, 0, 1e-7, false)).Within(1e-6));
    }

    [Test]
    public void SlotCountFollowsMomentumAndCentered()
    {
        Assert.That(new RMSprop().SlotNames, Is.EqualTo(new[] { "velocity" }));
        Assert.That(new RMSprop(momentum: 0.9, centered: true).SlotNames, Is.EqualTo(new[] { "velocity", "momentum", "average_gradient" }));
        Assert.That(new RMSprop(centered: true).SlotCount, Is.EqualTo(2));
    }

    [TestCase(-0.1, 0.0, 1e-7)]
    [TestCase(1.0, 0.0, 1e-7)]
    [TestCase(0.9, -0.5, 1e-7)]
    [TestCase(0.9, 1.5, 1e-7)]
    [TestCase(0.9, 0.0, 0.0)]
    public void RejectsInvalidHyperParameters(double rho, double momentum, double epsilon)
        => Assert.That(() => new RMSprop(rho: rho, momentum: momentum, epsilon: epsilon), Throws.ArgumentException.With.Message.StartsWith("RMSprop: expected"));
}
