using SequentialNet.Initializers;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.LayerTests;

/// <summary>Conv1D and the 1-D poolings against hand-worked values (TensorFlow's padding) and a float64 loop; save/load.</summary>
public class Convolution1DTests
{
    [SetUp]
    public void SetUp() => Utils.SetRandomSeed(3);

    private static Tensor Steps(params float[] values) => new(values, 1, values.Length, 1);

    private static float[] Predict(Layer layer, Tensor x)
    {
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        return model.Predict(x).Data;
    }

    [Test]
    public void HandWorkedConvolutionAndPooling()
    {
        // 5 steps, kernel of ones 2, stride 2, "same": out 3, pad 0 before and 1 after → [1+2, 3+4, 5].
        Assert.That(Predict(new Conv1D(1, 2, strides: 2, padding: "same", useBias: false, kernelInitializer: new Ones(), inputShape: [5, 1]), Steps(1, 2, 3, 4, 5)),
            Is.EqualTo(new float[] { 3, 7, 5 }));
        Assert.That(Predict(new MaxPooling1D(2, inputShape: [5, 1]), Steps(1, 3, 2, 5, 4)), Is.EqualTo(new float[] { 3, 5 }));
        Assert.That(Predict(new AveragePooling1D(2, padding: "same", inputShape: [5, 1]), Steps(1, 2, 3, 4, 5)), Is.EqualTo(new[] { 1.5f, 3.5f, 5f }));
        Assert.That(Predict(new GlobalAveragePooling1D(inputShape: [5, 1]), Steps(1, 2, 3, 4, 5)), Is.EqualTo(new[] { 3f }));
        Assert.That(Predict(new GlobalMaxPooling1D(keepdims: true, inputShape: [5, 1]), Steps(1, 2, 9, 4, 5)), Is.EqualTo(new[] { 9f }));
    }

    [Test]
    public void DilatedSameConvolutionMatchesTheDefinitionInFloat64()
    {
        const int n = 2, steps = 7, c = 3, f = 4, k = 3, d = 2;
        var x = Training.TestData.Random(n * steps, c, seed: 8, 1f).Reshape(n, steps, c);
        var conv = new Conv1D(f, k, padding: "same", dilationRate: d, activation: "relu", biasInitializer: new RandomUniform(-0.3, 0.3), inputShape: [steps, c]);
        float[] actual = Predict(conv, x);
        float[] w = conv.Kernel!.ToTensor().Data, b = conv.Bias!.ToTensor().Data;
        // "same": out = steps, pad_total = (steps − 1) + (k − 1)·d + 1 − steps = 4 → 2 before.
        for (int s = 0; s < n; s++)
            for (int o = 0; o < steps; o++)
                for (int j = 0; j < f; j++)
                {
                    double sum = b[j];
                    for (int t = 0; t < k; t++)
                    {
                        int i = o - 2 + t * d;
                        if (i < 0 || i >= steps) continue;
                        for (int ch = 0; ch < c; ch++) sum += (double)x.Data[(s * steps + i) * c + ch] * w[(t * c + ch) * f + j];
                    }
                    double expected = Math.Max(0, sum);
                    Assert.That(actual[(s * steps + o) * f + j], Is.EqualTo(expected).Within(1e-5 + 1e-5 * Math.Abs(expected)), $"[{s}, {o}, {j}]");
                }
    }

    [Test]
    public void ASequenceModelTrainsSavesAndLoads()
    {
        var x = Training.TestData.Random(64 * 12, 2, seed: 5, 1f).Reshape(64, 12, 2);
        var y = Training.TestData.Random(64, 1, seed: 6, 1f);
        using var model = new Sequential(new Conv1D(6, 3, activation: "relu", inputShape: [12, 2]), new MaxPooling1D(2),
            new Conv1D(4, 2, padding: "same"), new GlobalAveragePooling1D(), new Dense(1));
        model.Compile(optimizer: new Adam(0.01), loss: "mse");
        var history = model.Fit(x, y, epochs: 15, batchSize: 16, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]), "the loss falls");
        string path = Path.Combine(Path.GetTempPath(), $"snet-conv1d-{Guid.NewGuid():N}.snet");
        try
        {
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(loaded.Predict(x).Data, Is.EqualTo(model.Predict(x).Data));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void CausalPaddingPadsOnlyThePast()
    {
        // Kernel of ones 2, "causal": one zero before [1, 2, 3, 4, 5] → [0+1, 1+2, 2+3, 3+4, 4+5].
        Assert.That(Predict(new Conv1D(1, 2, padding: "causal", useBias: false, kernelInitializer: new Ones(), inputShape: [5, 1]), Steps(1, 2, 3, 4, 5)),
            Is.EqualTo(new float[] { 1, 3, 5, 7, 9 }));
        // Stride 2: the padded [0, 1, 2, 3, 4, 5] read "valid" every 2 steps → [0+1, 2+3, 4+5].
        Assert.That(Predict(new Conv1D(1, 2, strides: 2, padding: "causal", useBias: false, kernelInitializer: new Ones(), inputShape: [5, 1]), Steps(1, 2, 3, 4, 5)),
            Is.EqualTo(new float[] { 1, 5, 9 }));
    }

    [Test]
    public void DilatedCausalConvolutionMatchesKerasDefinitionInFloat64()
    {
        // Keras: x padded with (k − 1)·d zeros in front, then a "valid" convolution: out[o] = Σ_t w[t]·x[o − (k − 1 − t)·d].
        const int n = 2, steps = 9, c = 2, f = 3, k = 3, d = 2;
        var x = Training.TestData.Random(n * steps, c, seed: 9, 1f).Reshape(n, steps, c);
        var conv = new Conv1D(f, k, padding: "causal", dilationRate: d, biasInitializer: new RandomUniform(-0.3, 0.3), inputShape: [steps, c]);
        float[] actual = Predict(conv, x);
        float[] w = conv.Kernel!.ToTensor().Data, b = conv.Bias!.ToTensor().Data;
        for (int s = 0; s < n; s++)
            for (int o = 0; o < steps; o++)
                for (int j = 0; j < f; j++)
                {
                    double sum = b[j];
                    for (int t = 0; t < k; t++)
                    {
                        int i = o - (k - 1 - t) * d;
                        if (i < 0) continue;
                        for (int ch = 0; ch < c; ch++) sum += (double)x.Data[(s * steps + i) * c + ch] * w[(t * c + ch) * f + j];
                    }
                    Assert.That(actual[(s * steps + o) * f + j], Is.EqualTo(sum).Within(1e-5 + 1e-5 * Math.Abs(sum)), $"[{s}, {o}, {j}]");
                }
        // Causality: changing the last step changes only the last output step.
        var later = new Tensor((float[])x.Data.Clone(), x.Shape);
        for (int ch = 0; ch < c; ch++) later.Data[(steps - 1) * c + ch] += 1f;
        float[] changed = Predict(conv, later);
        Assert.That(changed.AsSpan(0, (steps - 1) * f).ToArray(), Is.EqualTo(actual.AsSpan(0, (steps - 1) * f).ToArray()));
    }

    [Test]
    public void ACausalSequenceModelSavesAndLoads()
    {
        var x = Training.TestData.Random(16 * 10, 2, seed: 5, 1f).Reshape(16, 10, 2);
        using var model = new Sequential(new Conv1D(3, 4, padding: "causal", dilationRate: 2, activation: "relu", inputShape: [10, 2]), new GlobalMaxPooling1D(), new Dense(1));
        model.Compile(optimizer: "adam", loss: "mse");
        Assert.That(model.SummaryText(), Does.Contain("(None, 10, 3)"));
        string path = Path.Combine(Path.GetTempPath(), $"snet-causal-{Guid.NewGuid():N}.snet");
        try
        {
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(((Conv1D)loaded.Layers[0]).Padding, Is.EqualTo("causal"));
            Assert.That(loaded.Predict(x).Data, Is.EqualTo(model.Predict(x).Data));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void UnknownPaddingAndWrongRanksAreRefused()
    {
        Assert.That(() => new Conv1D(2, 3, padding: "full"), Throws.ArgumentException.With.Message.Contains("unknown padding \"full\". Expected \"valid\", \"same\" or \"causal\""));
        Assert.That(() => new Conv2D(2, 3, padding: "causal"), Throws.ArgumentException.With.Message.Contains("unknown padding \"causal\""));
        var model = new Sequential(new Conv1D(2, 3, inputShape: [8, 8, 1]));
        Assert.That(() => model.Compile(optimizer: "sgd", loss: "mse"), Throws.ArgumentException.With.Message.Contains("expected ndim=3, found ndim=4"));
    }
}
