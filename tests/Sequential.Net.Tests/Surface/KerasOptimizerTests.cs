using SequentialNet.Optimizers;
using static SequentialNet.Tests.Optimizers.OptimizerFixtures;

namespace SequentialNet.Tests.Surface;

/// <summary>Adamax and Lion against Keras's update rules (adamax.py, lion.py) written out in float64.</summary>
public class KerasOptimizerTests
{
    [Test]
    public void AdamaxMatchesKerasUpdates()
    {
        // One weight, loss (w·1 − 0)², g = 2w.
        double w = 0.5, m = 0, u = 0;
        const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        for (int t = 1; t <= 5; t++)
        {
            double g = 2 * w;
            m += (g - m) * (1 - b1);
            u = Math.Max(b2 * u, Math.Abs(g));
            w -= lr * m / ((1 - Math.Pow(b1, t)) * (u + eps));
        }
        Assert.That(TrainOneWeight(new Adamax(learningRate: lr), 0.5f, 5), Is.EqualTo(w).Within(2e-6));
    }

    [Test]
    public void LionMatchesKerasUpdates()
    {
        double w = 0.5, m = 0;
        const double lr = 0.03, b1 = 0.9, b2 = 0.99;
        for (int t = 1; t <= 5; t++)
        {
            double g = 2 * w;
            w -= lr * Math.Sign(m * b1 + g * (1 - b1));
            m = m * b2 + g * (1 - b2);
        }
        Assert.That(TrainOneWeight(new Lion(learningRate: lr), 0.5f, 5), Is.EqualTo(w).Within(2e-6));
    }

    [Test]
    public void AdadeltaMatchesKerasUpdates()
    {
        double w = 0.5, a = 0, b = 0;
        const double lr = 1.0, rho = 0.95, eps = 1e-7;
        for (int t = 1; t <= 5; t++)
        {
            double g = 2 * w;
            a = rho * a + (1 - rho) * g * g;
            double d = -Math.Sqrt(b + eps) / Math.Sqrt(a + eps) * g;
            b = rho * b + (1 - rho) * d * d;
            w += lr * d;
        }
        Assert.That(TrainOneWeight(new Adadelta(learningRate: lr), 0.5f, 5), Is.EqualTo(w).Within(2e-6));
        Assert.That(w, Is.Not.EqualTo(0.5).Within(1e-4), "the test would pass without a step");
    }

    [Test]
    public void DefaultsNamesAndChecksAreKeras()
    {
        var adamax = (Adamax)Optimizer.Get("Adamax");
        Assert.That((adamax.LearningRate, adamax.Beta1, adamax.Beta2, adamax.Epsilon), Is.EqualTo((1e-3, 0.9, 0.999, 1e-7)));
        var lion = (Lion)Optimizer.Get("lion");
        Assert.That((lion.LearningRate, lion.Beta1, lion.Beta2), Is.EqualTo((1e-3, 0.9, 0.99)));
        Assert.That(() => new Lion(beta1: 0), Throws.ArgumentException.With.Message.Contains("expected 0 < beta1 <= 1"));
        Assert.That(() => new Adamax(beta2: 1), Throws.ArgumentException.With.Message.Contains("expected 0 <= beta2 < 1"));
    }

    [Test]
    public void AdamaxAndLionSaveAndResume()
    {
        foreach (Optimizer optimizer in new Optimizer[] { new Adamax(0.05), new Lion(0.01), new Adadelta(1.0) })
        {
            string path = Path.Combine(Path.GetTempPath(), $"opt-{Guid.NewGuid():N}.snet");
            try
            {
                Utils.SetRandomSeed(5);
                using var model = new Sequential(new SequentialNet.Layers.Dense(2, inputShape: [3]));
                model.Compile(optimizer: optimizer, loss: "mse");
                var x = new Tensor([.. Enumerable.Range(0, 30).Select(i => (float)Math.Sin(i))], 10, 3);
                var y = new Tensor([.. Enumerable.Range(0, 20).Select(i => (float)Math.Cos(i))], 10, 2);
                model.Fit(x, y, epochs: 2, batchSize: 5, shuffle: false, verbose: 0);
                model.Save(path);
                using var loaded = Model.Load(path);
                model.Fit(x, y, epochs: 1, batchSize: 5, shuffle: false, verbose: 0);
                loaded.Fit(x, y, epochs: 1, batchSize: 5, shuffle: false, verbose: 0);
                Assert.That(loaded.GetWeights()[0].Data, Is.EqualTo(model.GetWeights()[0].Data), optimizer.Name);
            }
            finally { File.Delete(path); }
        }
    }
}
