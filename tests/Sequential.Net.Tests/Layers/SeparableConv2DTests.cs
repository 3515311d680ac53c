using SequentialNet.Initializers;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.LayerTests;

/// <summary>
/// SeparableConv2D against Keras 3: the output shapes its own tests assert (separable_conv_test.py), float64 values
/// (Keras's numpy depthwise reference, then the 1 × 1 pointwise sum, bias and activation), Keras's weight names and
/// shapes, Summary, config and Save/Load, training at any thread count, and the errors of bad arguments and inputs.
/// </summary>
public class SeparableConv2DTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        Utils.SetRandomSeed(29);
        _folder = Path.Combine(Path.GetTempPath(), "snet-separable-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    // Keras's test_separable_conv2d_basic.
    [TestCase(5, 5, new[] { 2 }, new[] { 1 }, "valid", new[] { 1 }, new[] { 5, 5, 4 }, new[] { 4, 4, 5 })]
    [TestCase(6, 6, new[] { 2 }, new[] { 1 }, "same", new[] { 2, 2 }, new[] { 4, 4, 4 }, new[] { 4, 4, 6 })]
    [TestCase(6, 6, new[] { 2, 2 }, new[] { 2, 2 }, "valid", new[] { 1, 1 }, new[] { 5, 5, 4 }, new[] { 2, 2, 6 })]
    public void OutputShapesAndWeightsAreKeras(int multiplier, int filters, int[] kernel, int[] strides, string padding, int[] dilation, int[] input, int[] expected)
    {
        var layer = new SeparableConv2D(filters, kernel, strides, padding, dilation, multiplier);
        Assert.That(layer.ComputeOutputShape(input), Is.EqualTo(expected));
        layer.Build(input);
        Assert.That(layer.Weights.Select(w => w.Name), Is.EqualTo(new[] { "depthwise_kernel", "pointwise_kernel", "bias" }.Select(n => layer.Name + "/" + n)));
        Assert.That(layer.DepthwiseKernel!.Shape, Is.EqualTo(new[] { 2, 2, input[2], multiplier }));
        Assert.That(layer.PointwiseKernel!.Shape, Is.EqualTo(new[] { 1, 1, input[2] * multiplier, filters }));
    }

    [TestCase(3, 1, "same", 1, 2, "relu")]     // relu fused into the pointwise GEMM's epilogue
    [TestCase(2, 2, "valid", 1, 3, "tanh")]    // tanh as its own op
    [TestCase(3, 1, "same", 2, 1, "linear")]   // dilation 2
    public void ValuesAreDepthwiseThenPointwise(int kernel, int stride, string padding, int dilation, int multiplier, string activation)
    {
        const int n = 2, h = 7, w = 6, c = 3, f = 4;
        var x = Training.TestData.Random(n * h * w, c, seed: 12, 1f).Reshape(n, h, w, c);
        var layer = new SeparableConv2D(f, kernel, strides: stride, padding: padding, dilationRate: dilation, depthMultiplier: multiplier,
            activation: activation, biasInitializer: new RandomUniform(-0.5, 0.5), inputShape: [h, w, c]);
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        double[] depthwise = DepthwiseConv2DTests.NumpyDepthwise(x.Data, n, h, w, c, layer.DepthwiseKernel!.Value, null, kernel, stride, dilation, padding, multiplier);
        float[] pointwise = layer.PointwiseKernel!.Value, bias = layer.Bias!.Value;
        int cm = c * multiplier, pixels = depthwise.Length / cm;
        var expected = new double[pixels * f];
        for (int p = 0; p < pixels; p++)
            for (int o = 0; o < f; o++)
            {
                double z = bias[o];
                for (int i = 0; i < cm; i++) z += depthwise[p * cm + i] * pointwise[i * f + o];
                expected[p * f + o] = activation switch { "relu" => Math.Max(z, 0), "tanh" => Math.Tanh(z), _ => z };
            }
        float[] actual = model.Predict(x).Data;
        Assert.That(actual.Length, Is.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-5 + 1e-5 * Math.Abs(expected[i])), $"element {i}");
    }

    [Test]
    public void SummaryPrintsKerasShapesAndParameterCounts()
    {
        using var model = new Sequential(
            new SeparableConv2D(32, 3, activation: "relu", inputShape: [28, 28, 3]),
            new SeparableConv2D(16, 3, strides: 2, padding: "same", depthMultiplier: 2, useBias: false));
        string text = model.SummaryText();
        // Params: 3·3·3 + 3·32 + 32 = 155; 3·3·32·2 + 64·16 = 1,600.
        foreach (var (shape, count) in new[] { ("(None, 26, 26, 32)", "155"), ("(None, 13, 13, 16)", "1,600") })
            Assert.That(text, Does.Match(System.Text.RegularExpressions.Regex.Escape(shape) + @"\s+│\s+" + count + " │"), shape);
        Assert.That(text, Does.Contain("separable_conv2d"));
        Assert.That(text, Does.Contain("Total params: 1,755"));
    }

    private static Sequential SeparableCnn() => new(
        new SeparableConv2D(8, 3, padding: "same", activation: "relu", inputShape: [8, 8, 1], depthMultiplier: 4),
        new MaxPooling2D(2),
        new SeparableConv2D(16, [2, 2], activation: "relu", pointwiseRegularizer: new SequentialNet.Regularizers.L2(1e-4), depthwiseInitializer: new HeUniform()),
        new Flatten(), new Dense(10, activation: "softmax"));

    [Test]
    public void ConfigJsonSaveLoadAndTrainingAtAnyThreadCount()
    {
        var ((x, y), _) = SequentialNet.Datasets.Digits.LoadData();
        x = x.Rows(0, 480).Reshape(-1, 8, 8, 1) / 16f; y = y.Rows(0, 480);
        float[]? first = null;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                SequentialNet.Backends.Cpu.CpuWorkers.ThreadCount = threads;
                Utils.SetRandomSeed(6);
                using var trained = SeparableCnn();
                trained.Compile(optimizer: new Adam(3e-3), loss: "sparse_categorical_crossentropy");
                var history = trained.Fit(x, y, epochs: 5, batchSize: 32, verbose: 0);
                Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0] / 2), "a CNN of separable convolutions learns the digits");
                float[] weights = trained.GetWeights().SelectMany(w => w.Data).ToArray();
                first ??= weights;
                Assert.That(weights, Is.EqualTo(first), $"weights after training with {threads} threads");
            }
        }
        finally { SequentialNet.Backends.Cpu.CpuWorkers.ThreadCount = 0; }

        using var model = SeparableCnn();
        model.Compile(optimizer: new Adam(3e-3), loss: "sparse_categorical_crossentropy");
        model.Fit(x, y, epochs: 1, batchSize: 32, verbose: 0);
        using var fromJson = Model.FromJson(model.ToJson());
        var copy = (SeparableConv2D)fromJson.Layers[2];
        Assert.That(copy.Filters, Is.EqualTo(16));
        Assert.That(copy.PointwiseRegularizer, Is.Not.Null);
        Assert.That(((SeparableConv2D)fromJson.Layers[0]).DepthMultiplier, Is.EqualTo(4));
        Assert.That(model.ToJson(), Does.Contain("\"class_name\": \"SeparableConv2D\"").And.Contain("\"pointwise_initializer\"").And.Contain("\"depth_multiplier\": 4"));

        string path = Path.Combine(_folder, "separable.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        Assert.That(loaded.Predict(x).Data, Is.EqualTo(model.Predict(x).Data), "the loaded model predicts what the saved one did");
        Assert.That(loaded.GetWeights().Take(3).Select(w => w.Shape), Is.EqualTo(new[] { new[] { 3, 3, 1, 4 }, new[] { 1, 1, 4, 8 }, new[] { 8 } }));
    }

    [Test]
    public void BadArgumentsFailWithKerasMessages()
    {
        Assert.That(() => new SeparableConv2D(0, 3), Throws.ArgumentException.With.Message.Contains("filters=0"));
        Assert.That(() => new SeparableConv2D(4, 3, depthMultiplier: 0), Throws.ArgumentException.With.Message.Contains("Received depth_multiplier=0."));
        Assert.That(() => new SeparableConv2D(4, [1, 0]), Throws.ArgumentException.With.Message.Contains("kernel_size=(1, 0)"));
        Assert.That(() => new SeparableConv2D(4, 2, strides: 2, dilationRate: 2),
            Throws.ArgumentException.With.Message.Contains("`strides > 1` not supported in conjunction with `dilation_rate > 1`"));
    }

    [Test]
    public void BadInputsFailBeforeAnyWorkWithTheShapes()
    {
        var tooSmall = new Sequential(new SeparableConv2D(4, 5, inputShape: [3, 8, 2]));
        Assert.That(() => tooSmall.Compile(optimizer: "sgd", loss: "mse"),
            Throws.ArgumentException.With.Message.Contains("separable_conv2d").And.Message.Contains("(None, 3, 8, 2)").And.Message.Contains("computed output height would be -1"));
        var flat = new Sequential(new SeparableConv2D(4, 3, inputShape: [64]));
        Assert.That(() => flat.Compile(optimizer: "sgd", loss: "mse"), Throws.ArgumentException.With.Message.Contains("expected ndim=4, found ndim=2. Full shape received: (None, 64)"));

        using var model = new Sequential(new SeparableConv2D(4, 3, inputShape: [6, 6, 2]), new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        var layer = (SeparableConv2D)model.Layers[0];
        Assert.That(() => layer.ComputeOutputShape([6, 6, 3]),
            Throws.ArgumentException.With.Message.Contains("expected axis -1 of input shape to have value 2").And.Message.Contains("(None, 6, 6, 3)"));
    }
}
