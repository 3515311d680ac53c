using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Optimizers;

/// <summary>
/// Optimizer EMA as Keras 3 (use_ema, ema_momentum, ema_overwrite_frequency): checked against Keras's update
/// rule simulated here in float64 (base_optimizer: after each step, μ = 0 at iterations 0 else ema_momentum,
/// average = μ·average + (1 − μ)·variable; every ema_overwrite_frequency steps, variable = average; fit ends
/// with finalize_variable_values, variable = average).
/// </summary>
public class OptimizerEmaTests
{
    private static readonly float[] X = [-1f, -0.5f, 0f, 0.25f, 0.5f, 0.75f, 1f, 1.5f];

    /// <summary>y = 3x + 1 fitted by a Dense(1) from w = 0.5, b = −0.2, one full batch per epoch.</summary>
    private static Sequential Linear(Optimizer optimizer)
    {
        var model = new Sequential(new Dense(1, inputShape: [1]));
        model.Compile(optimizer: optimizer, loss: "mse");
        model.SetWeights([new Tensor([0.5f], 1, 1), new Tensor([-0.2f], 1)]);
        return model;
    }

    private static void Fit(Model model, int epochs)
        => model.Fit(new Tensor(X, X.Length, 1), new Tensor([.. X.Select(v => 3 * v + 1)], X.Length, 1), epochs: epochs, batchSize: X.Length, verbose: 0, shuffle: false);

    private static double[] Weights(Model model) => [model.GetWeights()[0].Data[0], model.GetWeights()[1].Data[0]];

    /// <summary>Keras's SGD + EMA in float64 over <paramref name="fits"/> (epochs per Fit call, each ending with finalize).</summary>
    private static double[] Simulate(double lr, double momentum, int? frequency, params int[] fits)
    {
        double w = 0.5, b = -0.2, aw = 0, ab = 0;
        int t = 0;
        foreach (int epochs in fits)
        {
            for (int e = 0; e < epochs; e++, t++)
            {
                double gw = 0, gb = 0;
                foreach (double x in X) { double d = w * x + b - (3 * x + 1); gw += 2 * d * x / X.Length; gb += 2 * d / X.Length; }
                w -= lr * gw; b -= lr * gb;
                double mu = t == 0 ? 0 : momentum;
                aw = mu * aw + (1 - mu) * w; ab = mu * ab + (1 - mu) * b;
                if (frequency is int f && (t + 1) % f == 0) { w = aw; b = ab; }
            }
            w = aw; b = ab;   // finalize_variable_values at the end of fit
        }
        return [w, b];
    }

    [Test]
    public void FitEndsWithTheMovingAverage()
    {
        using var model = Linear(new SGD(0.1) { UseEma = true, EmaMomentum = 0.9 });
        Fit(model, 6);
        double[] expected = Simulate(0.1, 0.9, null, 6);
        Assert.That(Weights(model), Is.EqualTo(expected).Within(1e-5));
        using var plain = Linear(new SGD(0.1));
        Fit(plain, 6);
        Assert.That(Weights(plain)[0], Is.Not.EqualTo(expected[0]).Within(1e-3), "the average differs from the last iterate");
    }

    [Test]
    public void OverwriteFrequencyReplacesTheVariablesDuringTraining()
    {
        using var model = Linear(new SGD(0.2) { UseEma = true, EmaMomentum = 0.5, EmaOverwriteFrequency = 3 });
        Fit(model, 7);
        double[] expected = Simulate(0.2, 0.5, 3, 7);
        Assert.That(Weights(model), Is.EqualTo(expected).Within(1e-5));
        Assert.That(expected[0], Is.Not.EqualTo(Simulate(0.2, 0.5, null, 7)[0]).Within(1e-3), "the overwrites change the path");
    }

    [Test]
    public void TheAverageIsSavedAndTrainingResumesExactly()
    {
        string folder = Path.Combine(Path.GetTempPath(), "snet-ema-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var model = Linear(new Adam(0.05) { UseEma = true, EmaMomentum = 0.8, EmaOverwriteFrequency = 4 });
            Fit(model, 3);
            string path = Path.Combine(folder, "ema.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            var optimizer = loaded.Optimizer!;
            Assert.That((optimizer.UseEma, optimizer.EmaMomentum, optimizer.EmaOverwriteFrequency), Is.EqualTo((true, 0.8, (int?)4)));
            Fit(model, 3);
            Fit(loaded, 3);
            Assert.That(Weights(loaded), Is.EqualTo(Weights(model)), "the EMA slot and the iterations came back: the same bits");

            // SGD against the float64 rule across two Fit calls: the average and the step count carry on.
            using var sgd = Linear(new SGD(0.1) { UseEma = true, EmaMomentum = 0.9 });
            Fit(sgd, 2);
            string sgdPath = Path.Combine(folder, "sgd.snet");
            sgd.Save(sgdPath);
            using var resumed = Model.Load(sgdPath);
            Fit(resumed, 3);
            Assert.That(Weights(resumed), Is.EqualTo(Simulate(0.1, 0.9, null, 2, 3)).Within(1e-5));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Test]
    public void ArgumentsAreCheckedAndConfiguredAsKeras()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Adam { UseEma = true, EmaMomentum = 1.5 })!.Message,
            Does.Contain("`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=1.5"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new SGD { EmaOverwriteFrequency = 0 })!.Message,
            Does.Contain("`ema_overwrite_frequency` must be an integer >= 1 or None. Received: ema_overwrite_frequency=0"));
        var config = new RMSprop { UseEma = true, EmaOverwriteFrequency = 10 }.GetConfig();
        Assert.That((config["use_ema"], config["ema_momentum"], config["ema_overwrite_frequency"]), Is.EqualTo((true, 0.99, 10)));
        var plain = new Adam().GetConfig();
        Assert.That((plain["use_ema"], plain["ema_overwrite_frequency"]), Is.EqualTo((false, (object?)null)));
    }
}
