using SequentialNet.Layers;

namespace SequentialNet.Tests.Metrics;

/// <summary>
/// Outputs with more than one row per sample (an image: (N, 4, 4, 1), or per-pixel classes (N, 4, 4, 3)): Keras
/// reduces a loss's values with "sum_over_batch_size", Σ w·l / (number of loss values), and a mean metric first
/// averages each sample's values, so both report the mean over every pixel of every sample. Expected values are
/// those formulas in float64 over the model's own predictions.
/// </summary>
public class ImageOutputReductionTests
{
    private const int N = 6, Pixels = 16;
    private static readonly float[] Targets = Random01(N * Pixels, 3);
    private static readonly float[] Weights = Random01(N, 4);
    private static readonly Tensor X = new(Random01(N * Pixels, 5).Select(v => 4 * v - 2).ToArray(), [N, 4, 4, 1]);
    private static readonly Tensor Y = new(Targets, [N, 4, 4, 1]);

    private static float[] Random01(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    private static Sequential SigmoidModel(string loss, string[] metrics, string[]? weightedMetrics = null)
    {
        var model = new Sequential(new Input([4, 4, 1]), new Activation("sigmoid"));
        model.Compile(optimizer: "sgd", loss: loss, metrics: metrics.Select(m => (SequentialNet.Metrics.Metric)m),
            weightedMetrics: weightedMetrics?.Select(m => (SequentialNet.Metrics.Metric)m));
        return model;
    }

    private static double PixelValue(string name, double t, double p)
    {
        double q = Math.Clamp(p, 1e-7, 1 - 1e-7);
        return name switch
        {
            "binary_crossentropy" => -(t * Math.Log(q) + (1 - t) * Math.Log(1 - q)),
            "mse" => (t - p) * (t - p),
            "mae" => Math.Abs(t - p),
            "binary_accuracy" => (p > 0.5) == (t > 0.5) ? 1 : 0,
            _ => throw new ArgumentException(name),
        };
    }

    // Keras: Σ_n Σ_pixel w_n·v / Σ_n Σ_pixel w_n (w = 1 unweighted), which is Σ w·v / (N·16) for a loss's sum_over_batch_size unweighted.
    private static (double Plain, double Weighted, double LossWeighted) Expected(string name, float[] predictions)
    {
        double sum = 0, weightedSum = 0, weightTotal = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            double v = PixelValue(name, Targets[i], predictions[i]), w = Weights[i / Pixels];
            sum += v; weightedSum += w * v; weightTotal += w;
        }
        return (sum / predictions.Length, weightedSum / weightTotal, weightedSum / predictions.Length);
    }

    [TestCase("binary_crossentropy")]
    [TestCase("mse")]
    [TestCase("mae")]
    public void LossIsTheMeanOverEveryPixelInEvaluateFitAndCall(string loss)
    {
        using var model = SigmoidModel(loss, []);
        float[] p = model.Predict(X).Data;
        var expected = Expected(loss, p);
        Assert.That(model.Evaluate(X, Y, verbose: 0)["loss"], Is.EqualTo(expected.Plain).Within(1e-5 * expected.Plain));
        Assert.That(model.Evaluate(X, Y, sampleWeight: new Tensor(Weights, [N]), verbose: 0)["loss"],
            Is.EqualTo(expected.LossWeighted).Within(1e-5 * expected.LossWeighted), "Σ w·l / number of loss values");
        Assert.That(SequentialNet.Losses.Loss.Get(loss).Call(Y, new Tensor(p, [N, 4, 4, 1])).Data[0], Is.EqualTo(expected.Plain).Within(1e-5 * expected.Plain));
        // The model has no weights, so the first epoch's loss is the loss of these predictions.
        var history = model.Fit(X, Y, epochs: 1, batchSize: N, verbose: 0);
        Assert.That(history["loss"][0], Is.EqualTo(expected.Plain).Within(1e-5 * expected.Plain));
    }

    [Test]
    public void MeanMetricsAverageEveryPixelWeightedOrNot()
    {
        string[] names = ["mse", "mae", "binary_accuracy"];
        using var model = SigmoidModel("mse", names, names);
        float[] p = model.Predict(X).Data;
        var logs = model.Evaluate(X, Y, sampleWeight: new Tensor(Weights, [N]), verbose: 0);
        foreach (var (name, key) in new[] { ("mse", "mean_squared_error"), ("mae", "mean_absolute_error"), ("binary_accuracy", "binary_accuracy") })
        {
            var expected = Expected(name, p);
            Assert.That(logs[key], Is.EqualTo(expected.Plain).Within(1e-5), $"{key}: Keras's mean over samples of each sample's mean");
            Assert.That(logs["weighted_" + key], Is.EqualTo(expected.Weighted).Within(1e-5), $"weighted {key}: Σ w·v / Σ w over the pixels");
        }
        Assert.That(logs["binary_accuracy"], Is.InRange(0.0, 1.0));
    }

    [Test]
    public void PerPixelClassesAverageLossAndAccuracyOverPixels()
    {
        var rng = new Random(8);
        var labels = Enumerable.Range(0, N * Pixels).Select(_ => (float)rng.Next(3)).ToArray();
        var input = new Input([4, 4, 2]);
        using var model = new Model(input, new Conv2D(3, 1, activation: "softmax").Apply(input));
        model.Compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var x = new Tensor(Random01(N * Pixels * 2, 9), [N, 4, 4, 2]);
        var y = new Tensor(labels, [N, 4, 4]);
        float[] p = model.Predict(x).Data;
        double loss = 0, correct = 0;
        for (int i = 0; i < N * Pixels; i++)
        {
            int label = (int)labels[i];
            loss -= Math.Log(Math.Clamp(p[i * 3 + label], 1e-7, 1 - 1e-7));
            int best = 0;
            for (int c = 1; c < 3; c++) if (p[i * 3 + c] > p[i * 3 + best]) best = c;
            correct += best == label ? 1 : 0;
        }
        var logs = model.Evaluate(x, y, verbose: 0);
        Assert.That(logs["loss"], Is.EqualTo(loss / (N * Pixels)).Within(1e-5));
        Assert.That(logs["accuracy"], Is.EqualTo(correct / (N * Pixels)).Within(1e-6));
    }

    [Test]
    public void AStandaloneMetricAveragesEveryPixel()
    {
        var metric = new SequentialNet.Metrics.MeanSquaredError();
        var predictions = Random01(N * Pixels, 12);
        metric.UpdateState(Y, new Tensor(predictions, [N, 4, 4, 1]));
        Assert.That(metric.Result(), Is.EqualTo(Expected("mse", predictions).Plain).Within(1e-6));
    }
}
