using SequentialNet.Layers;
using SequentialNet.Losses;

namespace SequentialNet.Tests.Surface;

/// <summary>
/// log_softmax (Keras activations.log_softmax = x − logsumexp(x) over the last axis) through a model on the CPU
/// kernels, against the formula in float64, and trained end to end.
/// </summary>
public class KerasLogSoftmaxTests
{
    [Test]
    public void LogSoftmaxActivationMatchesTheFormula()
    {
        float[] x = [-7.5f, -3.2f, 0.3f, 1.7f, 11f, 80f, 79.5f];   // 80: e^80 overflows float32 unless shifted
        using var model = new Sequential(new Activation("log_softmax", inputShape: [x.Length]));
        model.Compile("sgd", "mse", device: "cpu");
        float[] y = model.Predict(new Tensor(x, 1, x.Length)).Data;
        double max = x.Max(), sum = x.Sum(v => Math.Exp(v - max));
        for (int j = 0; j < x.Length; j++)
            Assert.That(y[j], Is.EqualTo(x[j] - max - Math.Log(sum)).Within(1e-5 + 1e-6 * Math.Abs(y[j])), $"column {j}");
        Assert.That(Activations.Get("LogSoftmax"), Is.SameAs(Activations.LogSoftmax));
    }

    [Test]
    public void TrainsAsTheLogitsOfACrossEntropy()
    {
        // log_softmax output fed to categorical_crossentropy from logits: softmax(log_softmax(z)) = softmax(z), so the
        // model trains like plain logits and its loss must fall.
        Utils.SetRandomSeed(3);
        var random = new Random(9);
        var x = new Tensor([.. Enumerable.Range(0, 96 * 4).Select(_ => (float)(random.NextDouble() * 2 - 1))], 96, 4);
        var labels = Enumerable.Range(0, 96).Select(i => x.Data[i * 4] > 0 ? 1 : x.Data[i * 4 + 1] > 0 ? 2 : 0).ToArray();
        var y = Utils.ToCategorical(Tensor.FromLabels(labels), 3);
        using var model = new Sequential(new Dense(3, activation: "log_softmax", inputShape: [4]));
        model.Compile(new SequentialNet.Optimizers.Adam(0.05), new CategoricalCrossentropy(fromLogits: true), device: "cpu");
        double before = model.Evaluate(x, y, verbose: 0)["loss"];
        model.Fit(x, y, epochs: 15, batchSize: 16, verbose: 0);
        Assert.That(model.Evaluate(x, y, verbose: 0)["loss"], Is.LessThan(0.7 * before));
    }
}
