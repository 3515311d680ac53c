using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Training;

/// <summary>Whole models learning real and synthetic tasks to known quality.</summary>
public class EndToEndTests
{
    [SetUp]
    public void Seed() => Utils.SetRandomSeed(2024);

    private static Sequential SeedMlp(int inputs) => new(
        new Dense(128, activation: "relu", inputShape: [inputs]),
        new Dropout(0.2),
        new Dense(10, activation: "softmax"));

    [Test, Category("Slow")]
    public void SeedMlpReaches85PercentOnFashionMnistIn3Epochs()
    {
        if (!Directory.Exists("/usr/share/datasets/fashion-mnist") && Environment.GetEnvironmentVariable("SEQUENTIAL_NET_DATA") == null)
            Assert.Ignore("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); CI installs it.");
        var ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData();
        xTrain = xTrain.Reshape(-1, 784) / 255f; xTest = xTest.Reshape(-1, 784) / 255f;
        // After 3 epochs single runs spread over about 0.84–0.875 with the seed (as in Keras), so the claim
        // is tested as the mean over three seeds rather than on one lucky or unlucky draw.
        var accuracies = new List<double>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            Utils.SetRandomSeed(seed);
            using var model = SeedMlp(784);
            model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
            model.Fit(xTrain, yTrain, epochs: 3, batchSize: 32, validationSplit: 0.2, verbose: 0);
            accuracies.Add(model.Evaluate(xTest, yTest, verbose: 0)["accuracy"]);
        }
        TestContext.Out.WriteLine($"Fashion-MNIST test accuracy after 3 epochs: {string.Join(", ", accuracies.Select(a => a.ToString("F4")))}");
        Assert.That(accuracies.Average(), Is.GreaterThanOrEqualTo(0.85));
        Assert.That(accuracies.Min(), Is.GreaterThanOrEqualTo(0.83));
    }

    [Test]
    public void SeedMlpReaches95PercentOnDigits()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Digits.LoadData();
        xTrain = xTrain.Reshape(-1, 64) / 16f; xTest = xTest.Reshape(-1, 64) / 16f;
        var model = SeedMlp(64);
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        model.Fit(xTrain, yTrain, epochs: 30, batchSize: 32, verbose: 0);
        var scores = model.Evaluate(xTest, yTest, verbose: 0);
        Assert.That(scores["accuracy"], Is.GreaterThanOrEqualTo(0.95));
    }

    [Test]
    public void LearnsXor()
    {
        var (x, y) = TestData.Xor();
        var model = new Sequential(new Dense(8, activation: "tanh", inputShape: [2]), new Dense(1, activation: "sigmoid"));
        model.Compile(optimizer: new Adam(learningRate: 0.05), loss: "binary_crossentropy", metrics: ["accuracy"]);
        model.Fit(x, y, epochs: 300, batchSize: 4, verbose: 0);
        var p = model.Predict(x).Data;
        Assert.That(p[0], Is.LessThan(0.2)); Assert.That(p[1], Is.GreaterThan(0.8));
        Assert.That(p[2], Is.GreaterThan(0.8)); Assert.That(p[3], Is.LessThan(0.2));
        Assert.That(model.Evaluate(x, y, verbose: 0)["accuracy"], Is.EqualTo(1.0));
    }

    [Test]
    public void LinearRegressionReachesTheLeastSquaresOptimum()
    {
        // y = 3·x0 − 2·x1 + 0.5 + noise: the MSE optimum is the least-squares fit, computed in float64.
        var x = TestData.Random(512, 2, 1);
        var r = new Random(2);
        var y = new Tensor(Enumerable.Range(0, 512).Select(i => 3 * x.Data[2 * i] - 2 * x.Data[2 * i + 1] + 0.5f + (float)(r.NextDouble() - 0.5) * 0.1f).ToArray(), 512, 1);
        var (w0, w1, b) = LeastSquares(x, y);
        var model = new Sequential(new Dense(1, inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 0.1, momentum: 0.9), loss: "mse");
        model.Fit(x, y, epochs: 150, batchSize: 512, verbose: 0);   // full batch: converges to the optimum, no minibatch noise
        var weights = model.GetWeights();
        Assert.That(weights[0].Data[0], Is.EqualTo(w0).Within(2e-3));
        Assert.That(weights[0].Data[1], Is.EqualTo(w1).Within(2e-3));
        Assert.That(weights[1].Data[0], Is.EqualTo(b).Within(2e-3));
    }

    private static (double, double, double) LeastSquares(Tensor x, Tensor y)
    {
        // Normal equations for [x0, x1, 1]: solve the 3×3 system by Cramer's rule.
        var a = new double[3, 3]; var c = new double[3];
        for (int i = 0; i < x.RowCount; i++)
        {
            double[] f = [x.Data[2 * i], x.Data[2 * i + 1], 1];
            for (int p = 0; p < 3; p++) { c[p] += f[p] * y.Data[i]; for (int q = 0; q < 3; q++) a[p, q] += f[p] * f[q]; }
        }
        double Det(double[,] m) => m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        double d = Det(a);
        double Solve(int col) { var m = (double[,])a.Clone(); for (int p = 0; p < 3; p++) m[p, col] = c[p]; return Det(m) / d; }
        return (Solve(0), Solve(1), Solve(2));
    }
}
