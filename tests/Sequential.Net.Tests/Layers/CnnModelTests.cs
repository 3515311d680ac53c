using SequentialNet.Callbacks;
using SequentialNet.Backends.Cpu;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.LayerTests;

/// <summary>
/// Convolutional models end to end on the CPU: learning the UCI digits, Keras's summary shapes and counts,
/// save/load and exact resume, thread-count independence, and the errors of bad arguments and inputs.
/// </summary>
public class CnnModelTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        Utils.SetRandomSeed(7);
        _folder = Path.Combine(Path.GetTempPath(), "snet-cnn-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_folder, recursive: true);
        CpuWorkers.ThreadCount = 0;
    }

    private static ((Tensor X, Tensor Y), (Tensor X, Tensor Y)) Digits8x8()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = Digits.LoadData();
        return ((xTrain.Reshape(-1, 8, 8, 1) / 16f, yTrain), (xTest.Reshape(-1, 8, 8, 1) / 16f, yTest));
    }

    private static Sequential SmallCnn() => new(
        new Conv2D(8, 3, padding: "same", activation: "relu", inputShape: [8, 8, 1]),
        new BatchNormalization(),
        new MaxPooling2D(2),
        new Conv2D(16, [2, 2], activation: "relu"),
        new Flatten(),
        new Dropout(0.25),
        new Dense(10, activation: "softmax"));

    [Test]
    public void ASmallCnnLearnsTheDigits()
    {
        var ((x, y), (xTest, yTest)) = Digits8x8();
        using var model = SmallCnn();
        model.Compile(optimizer: new Adam(3e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var history = model.Fit(x, y, epochs: 6, batchSize: 32, verbose: 0);
        var scores = model.Evaluate(xTest, yTest, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0] / 3), "training loss falls");
        Assert.That(scores["accuracy"], Is.GreaterThan(0.93), "test accuracy of a CNN on 8×8 digits after 6 epochs");
    }

    [Test]
    public void AugmentationBatchNormalizationAndGlobalPoolingShareTheImageTensors()
    {
        var ((x, y), (xTest, yTest)) = Digits8x8();
        using var model = new Sequential(
            new RandomFlip("horizontal", inputShape: [8, 8, 1]), new RandomTranslation([0.1], [0.1], fillMode: "constant"),
            new Conv2D(16, 3, padding: "same", activation: "relu"), new BatchNormalization(), new AveragePooling2D(2),
            new Conv2D(32, 3, padding: "same", activation: "relu"), new GlobalMaxPooling2D(), new Dense(10, activation: "softmax"));
        model.Compile(optimizer: new Adam(3e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var history = model.Fit(x, y, epochs: 4, batchSize: 32, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0] / 2), "training loss falls");
        Assert.That(model.Evaluate(xTest, yTest, verbose: 0)["accuracy"], Is.GreaterThan(0.8), "test accuracy after 4 epochs with augmentation");
    }

    [Test]
    public void SummaryPrintsKerasShapesAndParameterCounts()
    {
        // The Keras tutorial CNN on 28×28×1: Keras prints these shapes and 34,826 parameters.
        using var model = new Sequential(
            new Conv2D(32, 3, activation: "relu", inputShape: [28, 28, 1]), new MaxPooling2D(2),
            new Conv2D(64, 3, activation: "relu"), new MaxPooling2D(2),
            new Flatten(), new Dropout(0.5), new Dense(10, activation: "softmax"));
        string text = model.SummaryText();
        foreach (var (shape, count) in new[] { ("(None, 26, 26, 32)", "320"), ("(None, 13, 13, 32)", "0"), ("(None, 11, 11, 64)", "18,496"),
                     ("(None, 5, 5, 64)", "0"), ("(None, 1600)", "0"), ("(None, 10)", "16,010") })
            Assert.That(text, Does.Match(System.Text.RegularExpressions.Regex.Escape(shape) + @"\s+│\s+" + count + " │"), shape);
        Assert.That(text, Does.Contain("Total params: 34,826"));
    }

    [Test]
    public void SaveLoadAndResumeOfACnnGivesTheUninterruptedLossesBitwise()
    {
        var ((x, y), _) = Digits8x8();
        x = x.Rows(0, 256); y = y.Rows(0, 256);
        Utils.SetRandomSeed(2024);
        History full;
        using (var model = SmallCnn())
        {
            model.Compile(optimizer: new Adam(1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
            full = model.Fit(x, y, epochs: 4, batchSize: 32, validationSplit: 0.25, verbose: 0);
        }
        Utils.SetRandomSeed(2024);
        string path = Path.Combine(_folder, "cnn.snet");
        Tensor before;
        using (var model = SmallCnn())
        {
            model.Compile(optimizer: new Adam(1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
            model.Fit(x, y, epochs: 2, batchSize: 32, validationSplit: 0.25, verbose: 0);
            before = model.Predict(x);
            model.Save(path);
        }
        Utils.SetRandomSeed(99);
        using var resumed = Model.Load(path);
        Assert.That(resumed.Predict(x).Data, Is.EqualTo(before.Data), "the loaded CNN predicts what the saved one did");
        Assert.That(resumed.Layers[0], Is.InstanceOf<Conv2D>());
        Assert.That(((Conv2D)resumed.Layers[3]).KernelSize, Is.EqualTo(new[] { 2, 2 }));
        var rest = resumed.Fit(x, y, epochs: 4, initialEpoch: 2, batchSize: 32, validationSplit: 0.25, verbose: 0);
        foreach (var metric in new[] { "loss", "accuracy", "val_loss" })
            Assert.That(rest[metric].Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(full[metric].Skip(2).Select(BitConverter.DoubleToInt64Bits)), metric);
    }

    [Test]
    public void ConvolutionAndPoolingGiveTheSameBitsAtAnyThreadCount()
    {
        var ((x, y), _) = Digits8x8();
        x = x.Rows(0, 96); y = y.Rows(0, 96);
        float[]? first = null;
        double[]? firstLoss = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            CpuWorkers.ThreadCount = threads;
            Utils.SetRandomSeed(5);
            using var model = SmallCnn();
            model.Compile(optimizer: new Adam(1e-3), loss: "sparse_categorical_crossentropy");
            double[] loss = [.. model.Fit(x, y, epochs: 2, batchSize: 48, verbose: 0)["loss"]];
            float[] weights = model.GetWeights().SelectMany(w => w.Data).ToArray();
            first ??= weights;
            firstLoss ??= loss;
            Assert.That(weights, Is.EqualTo(first), $"weights after training with {threads} threads");
            Assert.That(loss, Is.EqualTo(firstLoss), $"losses with {threads} threads");
        }
    }

    [Test]
    public void BadArgumentsFailWithKerasMessages()
    {
        Assert.That(() => new Conv2D(0, 3), Throws.ArgumentException.With.Message.Contains("filters=0"));
        Assert.That(() => new Conv2D(4, 0), Throws.ArgumentException.With.Message.Contains("kernel_size=0"));
        Assert.That(() => new Conv2D(4, 3, strides: -1), Throws.ArgumentException.With.Message.Contains("strides=-1"));
        Assert.That(() => new Conv2D(4, 3, dilationRate: 0), Throws.ArgumentException.With.Message.Contains("dilation_rate=0"));
        Assert.That(() => new Conv2D(4, 3, strides: 2, dilationRate: 2),
            Throws.ArgumentException.With.Message.Contains("`strides > 1` not supported in conjunction with `dilation_rate > 1`"));
        Assert.That(() => new Conv2D(4, 3, padding: "full"), Throws.ArgumentException.With.Message.Contains("unknown padding \"full\""));
        Assert.That(() => new MaxPooling2D([2, 2, 2]), Throws.ArgumentException.With.Message.Contains("pool_size"));
    }

    [Test]
    public void BadInputsFailBeforeAnyWorkWithTheShapes()
    {
        var tooSmall = new Sequential(new Conv2D(4, 5, inputShape: [3, 8, 1]));
        Assert.That(() => tooSmall.Compile(optimizer: "sgd", loss: "mse"),
            Throws.ArgumentException.With.Message.Contains("conv2d").And.Message.Contains("(None, 3, 8, 1)")
                .And.Message.Contains("computed output height would be -1").And.Message.Contains("padding=\"valid\""));
        var flat = new Sequential(new Conv2D(4, 3, inputShape: [784]));
        Assert.That(() => flat.Compile(optimizer: "sgd", loss: "mse"),
            Throws.ArgumentException.With.Message.Contains("expected ndim=4, found ndim=2. Full shape received: (None, 784)"));
        var pool = new Sequential(new MaxPooling2D(2, inputShape: [28, 28]));
        Assert.That(() => pool.Compile(optimizer: "sgd", loss: "mse"), Throws.ArgumentException.With.Message.Contains("expected ndim=4, found ndim=3"));

        using var model = new Sequential(new Conv2D(4, 3, inputShape: [6, 6, 1]), new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        var conv = (Conv2D)model.Layers[0];
        Assert.That(() => conv.ComputeOutputShape([6, 6, 3]),
            Throws.ArgumentException.With.Message.Contains("expected axis -1 of input shape to have value 1").And.Message.Contains("(None, 6, 6, 3)"));
    }
}
