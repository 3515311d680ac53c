using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Surface;

/// <summary>
/// Ftrl and Adam/AdamW with amsgrad against the numbers Keras's optimizer tests assert (keras/src/optimizers/
/// ftrl_test.py, adam_test.py) and against Keras's update rules written out in float64.
/// </summary>
public class KerasFtrlAmsgradTests
{
    /// <summary>
    /// A Dense(1) kernel trained with MAE against a target far below the prediction: the gradient of each step is
    /// exactly that step's input row, so the optimizer sees the gradients Keras's tests apply by hand.
    /// </summary>
    private sealed class FixedGradients : IDisposable
    {
        private readonly Sequential _model;

        public FixedGradients(Optimizer optimizer, float[] start)
        {
            _model = new Sequential(new Dense(1, useBias: false, inputShape: [start.Length]));
            _model.Compile(optimizer, "mae", device: "cpu");
            _model.SetWeights([new Tensor(start, start.Length, 1)]);
        }

        public float[] Weights => _model.GetWeights()[0].Data.ToArray();

        public void Apply(float[] gradient)
            => _model.Fit(new Tensor(gradient, 1, gradient.Length), new Tensor([-1e6f], 1, 1), epochs: 1, verbose: 0, shuffle: false);

        public void Dispose() => _model.Dispose();
    }

    private static readonly float[] Ramp = [.. Enumerable.Range(1, 10).Select(i => i / 10f)];
    private static float[] Full(float v) => [.. Enumerable.Repeat(v, 10)];

    [Test]
    public void FtrlSingleStepAsKeras()
    {
        // ftrl_test.py test_single_step: lr 0.5, vars [1, 2, 3, 4], grads [1, 6, 7, 2]. Here x = grads/2 and y = 20,
        // so p = x·w = 21 and the MSE gradient 2(p − y)·x is the grads.
        using var model = new Sequential(new Dense(1, useBias: false, inputShape: [4]));
        model.Compile(new Ftrl(learningRate: 0.5), "mse", device: "cpu");
        model.SetWeights([new Tensor([1f, 2f, 3f, 4f], 4, 1)]);
        model.Fit(new Tensor([0.5f, 3f, 3.5f, 1f], 1, 4), new Tensor([20f], 1, 1), epochs: 1, verbose: 0);
        Assert.That(model.GetWeights()[0].Data, Is.EqualTo(new[] { 0.2218f, 1.3954f, 2.3651f, 2.8814f }).Within(1e-4f));
    }

    [Test]
    public void FtrlGoldenAsKeras()
    {
        // ftrl_test.py test_correctness_with_golden.
        double[][] golden =
        [
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354],
            [-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685],
            [-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999],
            [-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299],
        ];
        var ftrl = new Ftrl(learningRate: 0.05, learningRatePower: -0.2, initialAccumulatorValue: 0.4, l1RegularizationStrength: 0.05,
            l2RegularizationStrength: 0.15, l2ShrinkageRegularizationStrength: 0.01, beta: 0.3);
        using var run = new FixedGradients(ftrl, Full(1f));
        run.Apply(Full(0.01f));
        for (int i = 0; i < 5; i++)
        {
            Assert.That(run.Weights, Is.EqualTo(golden[i]).Within(5e-4), $"after step {i + 1}");
            run.Apply(Ramp);
        }
    }

    [Test]
    public void FtrlMatchesKerasFormulaWithoutL1()
    {
        // The ftrl.py update in float64, l1 = 0 so no weight is clipped to zero, lr_power −0.5.
        const double lr = 0.1, l2 = 0.02, shrink = 0.03, beta = 0.1;
        double[] w = [0.5, -0.3], n = [0.1, 0.1], z = [0, 0];
        float[][] grads = [[0.4f, -0.2f], [0.1f, 0.3f], [-0.5f, 0.05f]];
        using var run = new FixedGradients(new Ftrl(lr, -0.5, 0.1, 0, l2, shrink, beta), [0.5f, -0.3f]);
        foreach (var g in grads)
        {
            for (int i = 0; i < 2; i++)
            {
                double newN = n[i] + g[i] * g[i];
                z[i] += g[i] + 2 * shrink * w[i] - (Math.Sqrt(newN) - Math.Sqrt(n[i])) / lr * w[i];
                w[i] = -z[i] / (Math.Sqrt(newN) / lr + 2 * (l2 + beta / (2 * lr)));
                n[i] = newN;
            }
            run.Apply(g);
        }
        Assert.That(run.Weights, Is.EqualTo(w).Within(2e-6));
    }

    [Test]
    public void AdamAmsgradGoldenAsKeras()
    {
        // adam_test.py test_correctness_with_golden (amsgrad=True).
        double[] golden = [0.999, 0.9982, 0.9974, 0.9965, 0.9955];
        using var run = new FixedGradients(new Adam(amsgrad: true), Full(1f));
        run.Apply(Full(0.01f));
        for (int i = 0; i < 5; i++)
        {
            Assert.That(run.Weights, Is.EqualTo(Enumerable.Repeat(golden[i], 10)).Within(5e-4), $"after step {i + 1}");
            run.Apply(Ramp);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void AmsgradMatchesKerasFormulaWhenGradientsShrink(bool adamW)
    {
        // Falling gradients make v fall below its running maximum, where amsgrad and Adam differ.
        const double lr = 0.1, b1 = 0.9, b2 = 0.6, eps = 1e-7, wd = 0.004;   // β₂ 0.6: v falls fast
        float[] gs = [1f, 0.2f, 0.05f, 0.01f, 0.01f];
        double w = 0.5, m = 0, v = 0, vHat = 0, plainW = 0.5, plainM = 0, plainV = 0;
        for (int t = 1; t <= gs.Length; t++)
        {
            double g = gs[t - 1], alpha = lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
            if (adamW) { w -= w * wd * lr; plainW -= plainW * wd * lr; }
            m += (g - m) * (1 - b1); v += (g * g - v) * (1 - b2); vHat = Math.Max(vHat, v);
            w -= alpha * m / (Math.Sqrt(vHat) + eps);
            plainM += (g - plainM) * (1 - b1); plainV += (g * g - plainV) * (1 - b2);
            plainW -= alpha * plainM / (Math.Sqrt(plainV) + eps);
        }
        Optimizer optimizer = adamW ? new AdamW(lr, weightDecay: wd, beta2: b2, amsgrad: true) : new Adam(lr, beta2: b2, amsgrad: true);
        using var run = new FixedGradients(optimizer, [0.5f]);
        foreach (float g in gs) run.Apply([g]);
        Assert.That(run.Weights[0], Is.EqualTo(w).Within(2e-6));
        Assert.That(Math.Abs(w - plainW), Is.GreaterThan(1e-3), "the formula would not tell amsgrad from Adam");
    }

    [Test]
    public void NamesConfigsAndChecksAreKeras()
    {
        var ftrl = (Ftrl)Optimizer.Get("FTRL");
        Assert.That((ftrl.LearningRate, ftrl.LearningRatePower, ftrl.InitialAccumulatorValue, ftrl.L1RegularizationStrength, ftrl.Beta),
            Is.EqualTo((1e-3, -0.5, 0.1, 0.0, 0.0)));
        Assert.That(ftrl.GetConfig().Keys, Is.SupersetOf(new[] { "learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
            "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta" }));
        Assert.That(() => new Ftrl(learningRatePower: 0.5), Throws.ArgumentException.With.Message.Contains("Received: learningRatePower=0.5"));
        Assert.That(() => new Ftrl(l1RegularizationStrength: -1), Throws.ArgumentException.With.Message.Contains("Received: l1RegularizationStrength=-1"));
        Assert.That(() => new Ftrl(initialAccumulatorValue: -0.1), Throws.ArgumentException.With.Message.Contains("initialAccumulatorValue"));
        Assert.That(new Adam(amsgrad: true).GetConfig()["amsgrad"], Is.EqualTo(true));
        Assert.That(((Adam)Optimizer.Get("adam")).Amsgrad, Is.False);
    }
}
