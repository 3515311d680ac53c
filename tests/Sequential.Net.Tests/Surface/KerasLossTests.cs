using SequentialNet.Losses;

namespace SequentialNet.Tests.Surface;

/// <summary>
/// Loss objects and functions against the values Keras's own tests assert (keras/src/losses/losses_test.py)
/// or, where marked, Keras's formula written out here in float64.
/// </summary>
public class KerasLossTests
{
    // losses_test.py's regression data.
    private static readonly Tensor YTrue = new([1, 9, 2, -5, -2, 6], 2, 3);
    private static readonly Tensor YPred = new([4, 8, 12, 8, 1, 3], 2, 3);
    // losses_test.py's hinge data.
    private static readonly Tensor HingeTrue = new([0, 1, 0, 0], 2, 2);
    private static readonly Tensor HingePred = new([0.6f, 0.4f, 0.4f, 0.6f], 2, 2);

    private static double Value(Tensor t) { Assert.That(t.Data, Has.Length.EqualTo(1)); return t.Data[0]; }

    [Test]
    public void MeanSquaredErrorReductionsAsKeras()
    {
        Assert.That(Value(new MeanSquaredError().Call(YTrue, YPred)), Is.EqualTo(49.5).Within(1e-4));
        Assert.That(Value(new MeanSquaredError().Call(YTrue, YPred, new Tensor([2.3f], 1))), Is.EqualTo(113.85).Within(1e-3));
        Assert.That(Value(new MeanSquaredError().Call(YTrue, YPred, new Tensor([1.2f, 3.4f], 2, 1))), Is.EqualTo(767.8 / 6).Within(1e-3));
        Assert.That(Value(new MeanSquaredError(reduction: "sum").Call(YTrue, YPred, new Tensor([2.3f], 1))), Is.EqualTo(227.69998).Within(1e-3));
        Assert.That(Value(new MeanSquaredError(reduction: "mean_with_sample_weight").Call(YTrue, YPred, new Tensor([1.2f, 3.4f], 2, 1))),
            Is.EqualTo((110.0 / 3 * 1.2 + 187.0 / 3 * 3.4) / (1.2 + 3.4)).Within(1e-3));
        Assert.That(new MeanSquaredError(reduction: "none").Call(YTrue, YPred, new Tensor([2.3f], 1)).Data,
            Is.EqualTo(new[] { 84.3333f, 143.3666f }).Within(1e-3f));
        Assert.That(Value(new MeanSquaredError().Call(YTrue, YPred, new Tensor([0f], 1))), Is.EqualTo(0));
    }

    [Test]
    public void MeanAbsolutePercentageErrorAsKeras()
    {
        Assert.That(Value(new MeanAbsolutePercentageError().Call(YTrue, YPred)), Is.EqualTo(211.8518).Within(1e-3));
        Assert.That(Value(new MeanAbsolutePercentageError().Call(YTrue, YPred, new Tensor([2.3f], 1))), Is.EqualTo(487.259).Within(1e-2));
        Assert.That(Value(new MeanAbsolutePercentageError().Call(YTrue, YPred, new Tensor([1.2f, 3.4f], 2, 1))), Is.EqualTo(422.8888).Within(1e-2));
        Assert.That(new MeanAbsolutePercentageError(reduction: "none").Call(YTrue, YPred, new Tensor([2.3f], 1)).Data,
            Is.EqualTo(new[] { 621.8518f, 352.6666f }).Within(1e-2f));
        Assert.That(Value(new MeanAbsolutePercentageError(reduction: "mean_with_sample_weight").Call(YTrue, YPred, new Tensor([1.2f, 3.4f], 2, 1))),
            Is.EqualTo(183.865).Within(1e-2));
    }

    [Test]
    public void MeanSquaredLogarithmicErrorAsKeras()
    {
        Assert.That(Value(new MeanSquaredLogarithmicError().Call(YTrue, YPred)), Is.EqualTo(1.4370).Within(1e-3));
        Assert.That(Value(new MeanSquaredLogarithmicError().Call(YTrue, YPred, new Tensor([2.3f], 1))), Is.EqualTo(3.3051).Within(1e-3));
        Assert.That(Value(new MeanSquaredLogarithmicError().Call(YTrue, YPred, new Tensor([1.2f, 3.4f], 2, 1))), Is.EqualTo(3.7856).Within(1e-3));
        var timesteps = new MeanSquaredLogarithmicError().Call(new Tensor(YTrue.Data, 2, 3, 1), new Tensor(YPred.Data, 2, 3, 1), new Tensor([3, 6, 5, 0, 4, 2], 2, 3));
        Assert.That(Value(timesteps), Is.EqualTo(2.647374).Within(1e-4));
    }

    [Test]
    public void HingesAsKeras()
    {
        Assert.That(Value(new Hinge().Call(HingeTrue, HingePred)), Is.EqualTo(1.3).Within(1e-4));
        Assert.That(Value(new Hinge(reduction: "sum").Call(HingeTrue, HingePred)), Is.EqualTo(2.6).Within(1e-4));
        Assert.That(new Hinge(reduction: "none").Call(HingeTrue, HingePred, new Tensor([1f, 0f], 2)).Data, Is.EqualTo(new[] { 1.1f, 0f }).Within(1e-5f));
        Assert.That(Value(new SquaredHinge().Call(HingeTrue, HingePred)), Is.EqualTo(1.86).Within(1e-4));
        Assert.That(Value(new SquaredHinge(reduction: "sum").Call(HingeTrue, HingePred, new Tensor([1f, 0f], 2))), Is.EqualTo(1.46).Within(1e-4));
        Assert.That(LossFunctions.SquaredHinge(HingeTrue, HingePred).Data, Is.EqualTo(new[] { 1.46f, 2.26f }).Within(1e-5f));
    }

    [Test]
    public void LogCoshAsKerasFormula()
    {
        // losses_test.py: log((e^d + e^−d)/2), d = ŷ − y, mean over all six values.
        double expected = 0;
        for (int i = 0; i < 6; i++) { double d = YPred.Data[i] - YTrue.Data[i]; expected += Math.Log((Math.Exp(d) + Math.Exp(-d)) / 2); }
        Assert.That(Value(new LogCosh().Call(YTrue, YPred)), Is.EqualTo(expected / 6).Within(1e-4));
        Assert.That(Value(Loss.Get("logcosh").Call(YTrue, YPred, new Tensor([2.3f], 1))), Is.EqualTo(2.3 * expected / 6).Within(1e-4));
    }

    [Test]
    public void KLDivergenceAsKerasFormula()
    {
        float[] p = [0.4f, 0.9f, 0.12f, 0.36f, 0.3f, 0.4f], t = [0.5f, 0.8f, 0.12f, 0.7f, 0.43f, 0.8f];
        double expected = 0;
        for (int i = 0; i < 6; i++) expected += t[i] * Math.Log((double)t[i] / p[i]);
        Assert.That(Value(new KLDivergence().Call(new Tensor(t, 2, 3), new Tensor(p, 2, 3))), Is.EqualTo(expected / 2).Within(1e-4));
    }

    [Test]
    public void PoissonAsKerasFormula()
    {
        // Keras poisson: mean(ŷ − y·log(ŷ + ε)), ε = 1e-7.
        float[] p = [0.5f, 1.5f, 3f, 0.2f], t = [1f, 0f, 2f, 4f];
        double expected = 0;
        for (int i = 0; i < 4; i++) expected += p[i] - t[i] * Math.Log(p[i] + 1e-7);
        Assert.That(Value(new Poisson().Call(new Tensor(t, 2, 2), new Tensor(p, 2, 2))), Is.EqualTo(expected / 4).Within(1e-5));
    }

    [Test]
    public void BinaryCrossentropyLabelSmoothingAsKerasFormula()
    {
        // Keras: t ← t·(1 − s) + s/2, then −mean(t·log p + (1 − t)·log(1 − p)); from logits, p = σ(z).
        float[] z = [1.5f, -0.5f, 2f, -3f], t = [1, 0, 0, 1];
        const double s = 0.2;
        double fromLogits = 0, fromProbabilities = 0;
        var probabilities = new float[4];
        for (int i = 0; i < 4; i++)
        {
            double ts = t[i] * (1 - s) + s / 2, pr = 1 / (1 + Math.Exp(-z[i]));
            probabilities[i] = (float)pr;
            fromLogits -= ts * Math.Log(pr) + (1 - ts) * Math.Log(1 - pr);
            fromProbabilities -= ts * Math.Log(probabilities[i]) + (1 - ts) * Math.Log(1 - probabilities[i]);
        }
        Assert.That(Value(new BinaryCrossentropy(fromLogits: true, labelSmoothing: 0.2f).Call(new Tensor(t, 2, 2), new Tensor(z, 2, 2))), Is.EqualTo(fromLogits / 4).Within(1e-5));
        Assert.That(Value(new BinaryCrossentropy(labelSmoothing: 0.2f).Call(new Tensor(t, 2, 2), new Tensor(probabilities, 2, 2))), Is.EqualTo(fromProbabilities / 4).Within(1e-5));
    }

    [Test]
    public void BadReductionAndBadShapesSayWhat()
    {
        Assert.That(() => new Hinge(reduction: "abc"), Throws.ArgumentException.With.Message.Contains("expected reduction to be one of").And.Message.Contains("Received: reduction=\"abc\""));
        Assert.That(() => new MeanSquaredError().Call(new Tensor([1f, 2f], 1, 2), YPred), Throws.ArgumentException.With.Message.Contains("expected yTrue with shape (2, 3)"));
    }

    [Test]
    public void FitRefusesAReductionItDoesNotTrainOn()
    {
        using var model = new Sequential(new Layers.Dense(3, inputShape: [3]));
        Assert.That(() => { model.Compile(optimizer: "sgd", loss: new MeanSquaredError(reduction: "sum")); model.Fit(YTrue, YPred, verbose: 0); }, Throws.TypeOf<NotSupportedException>().With.Message.Contains("reduction=\"sum\""));
    }

    [Test]
    public void NewLossesTrainAModel()
    {
        // Each loss drives a small regression down: the gradient path (LossBackward) works end to end.
        foreach (Loss loss in new Loss[] { new MeanSquaredLogarithmicError(), new LogCosh(), new Poisson(), new MeanAbsolutePercentageError() })
        {
            Utils.SetRandomSeed(7);
            var r = new Random(1);
            var x = new float[64 * 3];
            var y = new float[64];
            for (int i = 0; i < 64; i++)
            {
                for (int j = 0; j < 3; j++) x[i * 3 + j] = (float)r.NextDouble();
                y[i] = 1f + x[i * 3] + 2 * x[i * 3 + 1];
            }
            using var model = new Sequential(new SequentialNet.Layers.Dense(1, activation: "relu", inputShape: [3], biasInitializer: new SequentialNet.Initializers.Constant(1f)));
            model.Compile(optimizer: new SequentialNet.Optimizers.Adam(0.05), loss: loss);
            var history = model.Fit(new Tensor(x, 64, 3), new Tensor(y, 64, 1), epochs: 15, verbose: 0);
            Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0] * 0.7), loss.Name);
        }
    }
}
