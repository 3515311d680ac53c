using SequentialNet.Layers;

namespace SequentialNet.Tests.Surface;

/// <summary>
/// The activations and activation layers Keras 3 has, evaluated through a model (so the CPU kernels run) and
/// compared with Keras's definitions (keras/src/activations/activations.py, ops/nn.py) written out in float64.
/// </summary>
public class KerasActivationTests
{
    private static readonly float[] Points = [-7.5f, -3.2f, -3f, -1.1f, -0.4f, -1e-3f, 0.3f, 1.7f, 2.9f, 3.4f, 5.9f, 6.3f, 11f];

    private static float[] Predict(Layer layer, float[] x)
    {
        using var model = new Sequential(new SequentialNet.Layers.Dense(x.Length, useBias: false, kernelInitializer: new SequentialNet.Initializers.Constant(0f), inputShape: [x.Length]), layer);
        model.Build([x.Length]);
        var eye = new float[x.Length * x.Length];
        for (int i = 0; i < x.Length; i++) eye[i * x.Length + i] = 1f;
        model.SetWeights([.. new[] { new Tensor(eye, x.Length, x.Length) }.Concat(layer.Weights.Select(w => w.ToTensor()))]);
        model.Compile(optimizer: "sgd", loss: "mse");
        return model.Predict(new Tensor(x, 1, x.Length)).Data;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
    private static double Relu6(double x) => Math.Min(Math.Max(x, 0), 6);

    private static IEnumerable<TestCaseData> Formulas()
    {
        const double alpha = 1.67326324235, scale = 1.05070098735;
        yield return new TestCaseData("selu", (Func<double, double>)(x => x > 0 ? scale * x : scale * alpha * (Math.Exp(x) - 1)));
        yield return new TestCaseData("softplus", (Func<double, double>)Softplus);
        yield return new TestCaseData("softsign", (Func<double, double>)(x => x / (Math.Abs(x) + 1)));
        yield return new TestCaseData("relu6", (Func<double, double>)Relu6);
        yield return new TestCaseData("hard_sigmoid", (Func<double, double>)(x => Relu6(x + 3) / 6));
        yield return new TestCaseData("hard_silu", (Func<double, double>)(x => x * Relu6(x + 3) / 6));
        yield return new TestCaseData("hard_swish", (Func<double, double>)(x => x * Relu6(x + 3) / 6));
        yield return new TestCaseData("exponential", (Func<double, double>)Math.Exp);
        yield return new TestCaseData("mish", (Func<double, double>)(x => x * Math.Tanh(Softplus(x))));
        yield return new TestCaseData("silu", (Func<double, double>)(x => x * Sigmoid(x)));
    }

    [TestCaseSource(nameof(Formulas))]
    public void ActivationMatchesKerasFormula(string name, Func<double, double> keras)
    {
        var y = Predict(new Activation(name), Points);
        for (int i = 0; i < Points.Length; i++)
        {
            double expected = keras(Points[i]);
            Assert.That(y[i], Is.EqualTo(expected).Within(1e-6 + 1e-5 * Math.Abs(expected)), $"{name}({Points[i]})");
        }
    }

    [Test]
    public void GeluApproximateMatchesKerasTanhForm()
    {
        var y = Predict(new Activation(Activations.GeluWith(approximate: true)), Points);
        for (int i = 0; i < Points.Length; i++)
        {
            double x = Points[i], expected = 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * Math.Pow(x, 3))));
            Assert.That(y[i], Is.EqualTo(expected).Within(1e-6 + 1e-5 * Math.Abs(expected)));
        }
        var json = new Sequential(new Activation(Activations.GeluWith(true), inputShape: [2])).ToJson();
        var again = (Activation)Model.FromJson(json).Layers[0];
        Assert.That(again.Function, Is.SameAs(Activations.GeluApproximate), "gelu(approximate=True) did not survive saving");
    }

    [Test]
    public void ReluLayerWithMaxValueAndNegativeSlope()
    {
        // Keras ReLU.static_call with threshold 0: clip(relu(x), 0, max) − slope·relu(−x).
        var y = Predict(new ReLU(maxValue: 2.5f, negativeSlope: 0.1f), Points);
        for (int i = 0; i < Points.Length; i++)
        {
            double x = Points[i], expected = Math.Clamp(Math.Max(x, 0), 0, 2.5) - 0.1 * Math.Max(-x, 0);
            Assert.That(y[i], Is.EqualTo(expected).Within(1e-6 + 1e-5 * Math.Abs(expected)), $"x={x}");
        }
        var six = Predict(new ReLU(maxValue: 6f), Points);
        Assert.That(six, Is.EqualTo(Points.Select(x => (float)Relu6(x)).ToArray()));
        Assert.That(() => new ReLU(threshold: float.NaN), Throws.ArgumentException.With.Message.Contains("threshold=NaN"));
        Assert.That(() => new ReLU(maxValue: -1f), Throws.ArgumentException.With.Message.Contains("maxValue=-1"));
    }

    [TestCase(1.5f, null, 0f)]
    [TestCase(1.5f, 2.5f, 0.1f)]
    [TestCase(-2f, null, 0.3f)]   // a negative threshold passes x in (t, 0) through when nothing clips it
    [TestCase(-2f, 4f, 0f)]
    [TestCase(2.9f, 6f, 0.5f)]
    public void ReluLayerWithAThreshold(float threshold, float? maxValue, float negativeSlope)
    {
        // Keras 3 activations.relu: x·[x > t], clip(·, 0, max_value) when given, minus negative_slope·relu(t − x).
        var y = Predict(new ReLU(maxValue, negativeSlope, threshold), Points);
        for (int i = 0; i < Points.Length; i++)
        {
            double x = Points[i], positive = x > threshold ? x : 0;
            if (maxValue is float m) positive = Math.Clamp(positive, 0, m);
            double expected = positive - negativeSlope * Math.Max(threshold - x, 0);
            Assert.That(y[i], Is.EqualTo(expected).Within(1e-6 + 1e-5 * Math.Abs(expected)), $"x={x}");
        }
    }

    [Test]
    public void ReluLayerWithAThresholdTrainsAndKeepsItsConfig()
    {
        SequentialNet.Utils.SetRandomSeed(4);
        using var model = new Sequential(new SequentialNet.Layers.Dense(8, inputShape: [3]), new ReLU(maxValue: 3f, negativeSlope: 0.2f, threshold: 0.25f), new SequentialNet.Layers.Dense(1));
        model.Compile(optimizer: new SequentialNet.Optimizers.Adam(1e-2), loss: "mse");
        var rng = new Random(2);
        var x = new Tensor(Enumerable.Range(0, 192).Select(_ => (float)rng.NextDouble() * 2 - 1).ToArray(), 64, 3);
        var t = new Tensor(Enumerable.Range(0, 64).Select(i => x.Data[3 * i] - x.Data[3 * i + 1] * x.Data[3 * i + 2]).ToArray(), 64, 1);
        var history = model.Fit(x, t, epochs: 30, batchSize: 16, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0] * 0.5), "the loss falls through the thresholded ReLU");
        var copy = (Sequential)SequentialNet.Model.FromJson(model.ToJson());
        var relu = (ReLU)copy.Layers[1];
        Assert.That((relu.Threshold, relu.MaxValue, relu.NegativeSlope), Is.EqualTo((0.25f, (float?)3f, 0.2f)));
    }

    [Test]
    public void EluLayerUsesAlpha()
    {
        var y = Predict(new ELU(alpha: 0.5f), Points);
        for (int i = 0; i < Points.Length; i++)
        {
            double x = Points[i], expected = x > 0 ? x : 0.5 * (Math.Exp(x) - 1);
            Assert.That(y[i], Is.EqualTo(expected).Within(1e-6 + 1e-5 * Math.Abs(expected)));
        }
    }

    [Test]
    public void PReluAppliesAndLearnsItsSlope()
    {
        var prelu = new PReLU(alphaInitializer: new SequentialNet.Initializers.Constant(0.25f));
        var y = Predict(prelu, Points);
        for (int i = 0; i < Points.Length; i++)
            Assert.That(y[i], Is.EqualTo(Points[i] > 0 ? Points[i] : 0.25 * Points[i]).Within(1e-6));

        // Targets 0.6·x on the negative side: gradient descent moves alpha from 0 towards 0.6.
        Utils.SetRandomSeed(3);
        var layer = new PReLU();
        using var model = new Sequential(new Activation("linear", inputShape: [4]), layer);
        model.Compile(optimizer: new SequentialNet.Optimizers.SGD(1.0), loss: "mse");
        var r = new Random(2);
        var x = Enumerable.Range(0, 256).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        var t = x.Select(v => v > 0 ? v : 0.6f * v).ToArray();
        model.Fit(new Tensor(x, 64, 4), new Tensor(t, 64, 4), epochs: 60, verbose: 0);
        Assert.That(model.GetWeights()[0].Data, Is.All.EqualTo(0.6f).Within(0.05f));
    }

    [Test]
    public void SoftmaxLayerOnTheLastAxisAndNotTheBatchAxis()
    {
        var y = Predict(new SequentialNet.Layers.Softmax(axis: 1), [1f, 2f, 3f]);
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.That(y, Is.EqualTo(new[] { Math.Exp(1) / z, Math.Exp(2) / z, Math.Exp(3) / z }).Within(1e-6));
        using var model = new Sequential(new SequentialNet.Layers.Softmax(axis: 0, inputShape: [3]));
        Assert.That(() => model.Build([3]), Throws.TypeOf<NotSupportedException>().With.Message.Contains("Received: axis=0"));
    }
}
