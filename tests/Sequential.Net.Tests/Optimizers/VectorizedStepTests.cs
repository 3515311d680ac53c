using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Optimizers;

/// <summary>
/// The CPU steps of Adamax, Lion, Adadelta, amsgrad Adam and Ftrl over 37 weights (two 16-wide vectors and a
/// 5-element scalar tail) against Keras's update rules (adamax.py, lion.py, adadelta.py, adam.py, ftrl.py) in float64.
/// </summary>
public class VectorizedStepTests
{
    private const int Width = 37;

    // Each step's gradient is its input row: Dense(1) without bias trained with MAE against a far lower target.
    private static float[] Train(Optimizer optimizer, float[] start, float[][] gradients)
    {
        using var model = new Sequential(new Dense(1, useBias: false, inputShape: [start.Length]));
        model.Compile(optimizer, "mae", device: "cpu");
        model.SetWeights([new Tensor(start, start.Length, 1)]);
        foreach (var g in gradients)
            model.Fit(new Tensor(g, 1, g.Length), new Tensor([-1e6f], 1, 1), epochs: 1, verbose: 0, shuffle: false);
        return model.GetWeights()[0].Data.ToArray();
    }

    private static (float[] Start, float[][] Gradients) Data(int seed)
    {
        var random = new Random(seed);
        float Draw() => (float)((random.Next(2) == 0 ? -1 : 1) * (0.1 + 0.9 * random.NextDouble()));
        var start = Enumerable.Range(0, Width).Select(_ => Draw()).ToArray();
        var gradients = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, Width).Select(_ => Draw()).ToArray()).ToArray();
        return (start, gradients);
    }

    private static void AssertClose(float[] actual, double[] expected)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-5 + 1e-5 * Math.Abs(expected[i])), $"weight {i}");
    }

    [Test]
    public void AdamaxOverVectorsAndTail()
    {
        var (start, grads) = Data(1);
        const double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        double[] w = [.. start.Select(v => (double)v)], m = new double[Width], u = new double[Width];
        for (int t = 1; t <= grads.Length; t++)
            for (int i = 0; i < Width; i++)
            {
                double g = grads[t - 1][i];
                m[i] += (g - m[i]) * (1 - b1);
                u[i] = Math.Max(b2 * u[i], Math.Abs(g));
                w[i] -= lr * m[i] / ((1 - Math.Pow(b1, t)) * (u[i] + eps));
            }
        AssertClose(Train(new Adamax(lr), start, grads), w);
    }

    [Test]
    public void LionOverVectorsAndTail()
    {
        var (start, grads) = Data(2);
        const double lr = 0.01, b1 = 0.9, b2 = 0.99;
        double[] w = [.. start.Select(v => (double)v)], m = new double[Width];
        foreach (var row in grads)
            for (int i = 0; i < Width; i++)
            {
                double g = row[i];
                w[i] -= lr * Math.Sign(m[i] * b1 + g * (1 - b1));
                m[i] = m[i] * b2 + g * (1 - b2);
            }
        AssertClose(Train(new Lion(lr), start, grads), w);
    }

    [Test]
    public void AdadeltaOverVectorsAndTail()
    {
        var (start, grads) = Data(3);
        const double lr = 1.0, rho = 0.95, eps = 1e-7;
        double[] w = [.. start.Select(v => (double)v)], a = new double[Width], b = new double[Width];
        foreach (var row in grads)
            for (int i = 0; i < Width; i++)
            {
                double g = row[i];
                a[i] = rho * a[i] + (1 - rho) * g * g;
                double d = -Math.Sqrt(b[i] + eps) / Math.Sqrt(a[i] + eps) * g;
                b[i] = rho * b[i] + (1 - rho) * d * d;
                w[i] += lr * d;
            }
        AssertClose(Train(new Adadelta(lr), start, grads), w);
    }

    [Test]
    public void AmsgradOverVectorsAndTail()
    {
        var (start, grads) = Data(4);
        const double lr = 0.05, b1 = 0.9, b2 = 0.7, eps = 1e-7;
        double[] w = [.. start.Select(v => (double)v)], m = new double[Width], v = new double[Width], vHat = new double[Width];
        for (int t = 1; t <= grads.Length; t++)
        {
            double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
            for (int i = 0; i < Width; i++)
            {
                double g = grads[t - 1][i];
                m[i] += (g - m[i]) * (1 - b1); v[i] += (g * g - v[i]) * (1 - b2); vHat[i] = Math.Max(vHat[i], v[i]);
                w[i] -= alpha * m[i] / (Math.Sqrt(vHat[i]) + eps);
            }
        }
        AssertClose(Train(new Adam(lr, beta2: b2, amsgrad: true), start, grads), w);
    }

    [Test]
    public void FtrlOverVectorsAndTail()
    {
        var (start, grads) = Data(5);
        const double lr = 0.1, power = 0.3, l1 = 0.01, l2 = 0.02, shrink = 0.03, beta = 0.1, n0 = 0.2;
        double[] w = [.. start.Select(v => (double)v)], n = [.. Enumerable.Repeat(n0, Width)], z = new double[Width];
        foreach (var row in grads)
            for (int i = 0; i < Width; i++)
            {
                double g = row[i], newN = n[i] + g * g;
                z[i] += g + 2 * shrink * w[i] - (Math.Pow(newN, power) - Math.Pow(n[i], power)) / lr * w[i];
                w[i] = (Math.Clamp(z[i], -l1, l1) - z[i]) / (Math.Pow(newN, power) / lr + 2 * (l2 + beta / (2 * lr)));
                n[i] = newN;
            }
        AssertClose(Train(new Ftrl(lr, -power, n0, l1, l2, shrink, beta), start, grads), w);
    }
}
