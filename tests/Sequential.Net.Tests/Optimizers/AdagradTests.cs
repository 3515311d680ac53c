using SequentialNet.Optimizers;
using static SequentialNet.Tests.Optimizers.OptimizerFixtures;

namespace SequentialNet.Tests.Optimizers;

/// <summary>Adagrad against Keras's adagrad.py update (accumulator starts at initialAccumulatorValue).</summary>
public class AdagradTests
{
    [TestCase(0.1)]
    [TestCase(0.0)]
    [TestCase(2.5)]
    public void MatchesHandComputedKerasUpdates(double initial)
    {
        double w = 0.5, acc = initial;
        for (int t = 0; t < 4; t++)
        {
            double g = 2 * w;
            acc += g * g;
            w -= 0.1 * g / Math.Sqrt(acc + 1e-7);
        }
        Assert.That(TrainOneWeight(new Adagrad(learningRate: 0.1, initialAccumulatorValue: initial), 0.5f, 4), Is.EqualTo(w).Within(2e-6));
    }

    [Test]
    public void DefaultsAreKeras()
    {
        var o = new Adagrad();
        Assert.That((o.LearningRate, o.InitialAccumulatorValue, o.Epsilon), Is.EqualTo((1e-3, 0.1, 1e-7)));
    }

    [TestCase(-0.1, 1e-7)]
    [TestCase(double.NaN, 1e-7)]
    [TestCase(0.1, -1.0)]
    public void RejectsInvalidHyperParameters(double initial, double epsilon)
        => Assert.That(() => new Adagrad(initialAccumulatorValue: initial, epsilon: epsilon), Throws.ArgumentException.With.Message.StartsWith("Adagrad: expected"));
}
