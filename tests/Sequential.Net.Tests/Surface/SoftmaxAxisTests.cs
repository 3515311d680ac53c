using SequentialNet.Layers;

namespace SequentialNet.Tests.Surface;

/// <summary>The Softmax layer on an axis other than the last (Keras <c>Softmax(axis)</c>), against the formula in float64.</summary>
public class SoftmaxAxisTests
{
    // x: (batch 2, 3, 4) with distinct values.
    private static readonly float[] X = [.. Enumerable.Range(0, 24).Select(i => (float)Math.Sin(1.3 * i) * 3)];

    private static float[] Predict(int axis)
    {
        using var model = new Sequential(new SequentialNet.Layers.Softmax(axis: axis, inputShape: [3, 4]));
        model.Compile("sgd", "mse", device: "cpu");
        return model.Predict(new Tensor(X, 2, 3, 4)).Data;
    }

    // sampleAxis 0: the 3 elements (j, k fixed) normalized together; 1: the 4 elements of a row.
    private static double[] Expected(int sampleAxis)
    {
        var y = new double[24];
        int count = sampleAxis == 0 ? 3 : 4, groups = sampleAxis == 0 ? 4 : 3;
        for (int b = 0; b < 2; b++)
            for (int k = 0; k < groups; k++)
            {
                int Index(int j) => sampleAxis == 0 ? b * 12 + j * 4 + k : b * 12 + k * 4 + j;
                double max = Enumerable.Range(0, count).Max(j => (double)X[Index(j)]);
                double sum = Enumerable.Range(0, count).Sum(j => Math.Exp(X[Index(j)] - max));
                for (int j = 0; j < count; j++) y[Index(j)] = Math.Exp(X[Index(j)] - max) / sum;
            }
        return y;
    }

    [TestCase(1)]
    [TestCase(-2)]
    public void MiddleAxisMatchesTheFormula(int axis) => Assert.That(Predict(axis), Is.EqualTo(Expected(0)).Within(1e-6));

    [TestCase(2)]
    [TestCase(-1)]
    public void LastAxisMatchesTheFormula(int axis) => Assert.That(Predict(axis), Is.EqualTo(Expected(1)).Within(1e-6));

    [Test]
    public void BatchAxisAndOutOfRangeAreRefused()
    {
        using var batch = new Sequential(new SequentialNet.Layers.Softmax(axis: -3, inputShape: [3, 4]));
        Assert.That(() => batch.Build([3, 4]), Throws.TypeOf<NotSupportedException>().With.Message.Contains("Received: axis=-3"));
        using var beyond = new Sequential(new SequentialNet.Layers.Softmax(axis: 3, inputShape: [3, 4]));
        Assert.That(() => beyond.Build([3, 4]), Throws.TypeOf<NotSupportedException>().With.Message.Contains("Received: axis=3"));
    }

    [Test]
    public void TrainsThroughTheMiddleAxis()
    {
        // Dense(4) on (batch, 3, 2) whose first feature is the position j, softmax over the 3 positions, fitted to
        // e^(−j)/Σ e^(−j) (reachable: kernel −1 on the position feature); the loss must fall.
        Utils.SetRandomSeed(7);
        var random = new Random(3);
        var x = new Tensor([.. Enumerable.Range(0, 32 * 6).Select(i => i % 2 == 0 ? (i / 2) % 3 : (float)random.NextDouble())], 32, 3, 2);
        double z = 1 + Math.Exp(-1) + Math.Exp(-2);
        var y = new Tensor([.. Enumerable.Range(0, 32 * 12).Select(i => (float)(Math.Exp(-((i / 4) % 3)) / z))], 32, 3, 4);
        using var model = new Sequential(new Dense(4, inputShape: [3, 2]), new SequentialNet.Layers.Softmax(axis: 1));
        model.Compile(new SequentialNet.Optimizers.Adam(0.05), "mse", device: "cpu");
        double before = model.Evaluate(x, y, verbose: 0)["loss"];
        model.Fit(x, y, epochs: 30, batchSize: 8, verbose: 0);
        Assert.That(model.Evaluate(x, y, verbose: 0)["loss"], Is.LessThan(0.3 * before));
    }
}
