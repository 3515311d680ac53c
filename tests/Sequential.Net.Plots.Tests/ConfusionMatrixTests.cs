using SequentialNet.Layers;

namespace SequentialNet.Plotting.Tests;

public class ConfusionMatrixTests
{
    private string _dir = "";

    [SetUp]
    public void MakeFolder() => _dir = Directory.CreateTempSubdirectory("snet-cm-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    // Dense(3, softmax) with identity weights and zero bias predicts the argmax of its input, so the
    // predicted classes are fixed by x: rows 0..4 predict 0, 1, 2, 0, 1.
    private static Sequential IdentityClassifier()
    {
        var model = new Sequential(new Dense(3, activation: "softmax", inputShape: [3]));
        model.Build([3]);
        model.SetWeights([new Tensor([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 3), new Tensor([0f, 0, 0], 3)]);
        model.Compile(loss: "sparse_categorical_crossentropy", device: "cpu");   // Predict needs a compiled model
        return model;
    }

    private static readonly Tensor X = Tensor.FromArray(new float[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 }, { 0, 1, 0 } });

    [Test]
    public void Counts_RowsAreTrueClasses_ColumnsPredictions()
    {
        using var model = IdentityClassifier();
        string path = Path.Combine(_dir, "cm.png");

        int[,] counts = Plots.ConfusionMatrix(model, X, new[] { 0, 1, 2, 1, 2 }, path, size: 400);

        // (true, predicted) pairs: (0,0) (1,1) (2,2) (1,0) (2,1)
        int[,] expected = { { 1, 0, 0 }, { 1, 1, 0 }, { 0, 1, 1 } };
        Assert.That(counts, Is.EqualTo(expected));
        var png = PngImage.Read(path);
        Assert.That((png.Width, png.Height), Is.EqualTo((400, 400)));
        Assert.That(png.InkFraction(), Is.InRange(0.05, 0.9));
    }

    [Test]
    public void OneHotLabels_GiveTheSameCounts()
    {
        using var model = IdentityClassifier();
        var oneHot = Tensor.FromArray(new float[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0, 1, 0 }, { 0, 0, 1 } });
        int[,] counts = Plots.ConfusionMatrix(model, X, oneHot, Path.Combine(_dir, "cm.png"), classNames: ["a", "b", "c"]);
        Assert.That(counts, Is.EqualTo(new int[,] { { 1, 0, 0 }, { 1, 1, 0 }, { 0, 1, 1 } }));
    }

    [Test]
    public void TrainedDigits_DiagonalHoldsMostSamples()
    {
        var (model, _, xTest, yTest) = DigitsModel.Train(epochs: 10);
        using var _m = model;
        string path = Path.Combine(_dir, "digits-cm.png");
        int[,] counts = Plots.ConfusionMatrix(model, xTest, yTest, path);
        int total = 0, diagonal = 0;
        for (int t = 0; t < 10; t++)
            for (int p = 0; p < 10; p++) { total += counts[t, p]; if (t == p) diagonal += counts[t, p]; }
        Assert.That(total, Is.EqualTo(xTest.RowCount));
        // The diagonal is the accuracy Evaluate reports, counted a second way (Evaluate's metric is a float32
        // ratio, hence 1e-6 rather than an exact match).
        Assert.That(diagonal / (double)total, Is.EqualTo(model.Evaluate(xTest, yTest, verbose: 0)["accuracy"]).Within(1e-6));
        var png = PngImage.Read(path);
        Assert.That((png.Width, png.Height), Is.EqualTo((640, 640)));
        Assert.That(png.InkFraction(), Is.InRange(0.05, 0.9));
    }

    [Test]
    public void NonIntegerLabel_IsAClearError_BeforePredicting()
    {
        using var model = IdentityClassifier();
        var y = new Tensor([0f, 0.5f, 2, 1, 2], 5);
        var ex = Assert.Throws<ArgumentException>(() => Plots.ConfusionMatrix(model, X, y, Path.Combine(_dir, "cm.png")));
        Assert.That(ex!.Message, Does.Contain("Received: y[1] = 0.5"));
    }

    [Test]
    public void RowMismatch_IsAClearError()
    {
        using var model = IdentityClassifier();
        var ex = Assert.Throws<ArgumentException>(() => Plots.ConfusionMatrix(model, X, new[] { 0, 1 }, Path.Combine(_dir, "cm.png")));
        Assert.That(ex!.Message, Does.Contain("expected y with 5 rows").And.Contain("Received: y of shape (2)"));
    }
}
