using SequentialNet.Initializers;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.LayerTests;

/// <summary>
/// Conv2DTranspose against Keras 3: the output shapes its own tests assert (conv_transpose_test.py), a case
/// worked by hand and float64 scatter sums (each input pixel adds its kernel-weighted window to the output at
/// i·stride + k·dilation, then the output is cropped by TensorFlow's padding), Summary, config and Save/Load,
/// training, and the errors of bad arguments and inputs.
/// </summary>
public class Conv2DTransposeTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        Utils.SetRandomSeed(17);
        _folder = Path.Combine(Path.GetTempPath(), "snet-deconv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    // Keras's test_conv2d_transpose_basic (channels_first case transposed to channels_last).
    [TestCase(5, new[] { 2 }, new[] { 2 }, "valid", null, new[] { 8, 8, 4 }, new[] { 16, 16, 5 })]
    [TestCase(6, new[] { 2 }, new[] { 3 }, "same", 2, new[] { 8, 8, 4 }, new[] { 23, 23, 6 })]
    [TestCase(6, new[] { 2, 3 }, new[] { 2, 1 }, "valid", null, new[] { 8, 8, 4 }, new[] { 16, 10, 6 })]
    [TestCase(2, new[] { 7, 7 }, new[] { 16, 16 }, "valid", null, new[] { 14, 14, 2 }, new[] { 224, 224, 2 })]
    public void OutputShapesAreKeras(int filters, int[] kernel, int[] strides, string padding, int? outputPadding, int[] input, int[] expected)
    {
        var layer = new Conv2DTranspose(filters, kernel, strides, padding, outputPadding == null ? null : [outputPadding.Value]);
        Assert.That(layer.ComputeOutputShape(input), Is.EqualTo(expected));
        layer.Build(input);
        Assert.That(layer.Kernel!.Shape, Is.EqualTo(new[] { kernel[0], kernel.Length == 1 ? kernel[0] : kernel[1], filters, input[2] }), "kernel (kh, kw, filters, in)");
    }

    [Test]
    public void Stride2SamePaddingDoublesTheImageAsTensorFlowDoes()
    {
        // x = [[1, 2], [3, 4]], 3×3 kernel of ones, stride 2, "same": output 4×4; TensorFlow pads the 4-row output's
        // convolution by max((2 − 1)·2 + 3 − 4, 0) = 1 → 0 before, 1 after, so input row i reaches output rows 2i..2i+2
        // (row 4 falls off): output rows 0, 1 see input row 0, row 2 both, row 3 row 1 (columns likewise).
        var layer = new Conv2DTranspose(1, 3, strides: 2, padding: "same", useBias: false, kernelInitializer: new Ones(), inputShape: [2, 2, 1]);
        float[] y = Predict(layer, new Tensor([1f, 2, 3, 4], 1, 2, 2, 1));
        Assert.That(y, Is.EqualTo(new float[] { 1, 1, 3, 2, 1, 1, 3, 2, 4, 4, 10, 6, 3, 3, 7, 4 }));
    }

    [TestCase(3, 2, "same", null, 1)]     // 5×4 → 10×8
    [TestCase(2, 2, "same", 1, 1)]        // even kernel: output padding 1 makes TensorFlow accept it (2H − 1)
    [TestCase(3, 2, "valid", 1, 1)]       // (H − 1)·2 + 3 + 1
    [TestCase(4, 3, "same", 2, 1)]        // stride 3, output padding 2
    [TestCase(2, 3, "valid", null, 1)]    // a stride larger than the kernel leaves zero rows (+ bias)
    [TestCase(3, 1, "same", null, 2)]     // dilation 2
    public void ValuesAreTheScatterSumsOfKeras(int kernel, int stride, string padding, int? outputPadding, int dilation)
    {
        const int h = 5, w = 4, c = 3, f = 2;
        var x = Training.TestData.Random(2 * h * w, c, seed: 5, 1f).Reshape(2, h, w, c);
        var layer = new Conv2DTranspose(f, kernel, strides: stride, padding: padding, outputPadding: outputPadding, dilationRate: dilation,
            biasInitializer: new RandomUniform(-1, 1), inputShape: [h, w, c]);
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        float[] k = layer.Kernel!.Value, b = layer.Bias!.Value;
        int[] shape = layer.ComputeOutputShape([h, w, c]);
        double[] expected = Scatter(x.Data, 2, h, w, c, k, b, kernel, stride, dilation, padding, shape[0], shape[1], f);
        float[] actual = model.Predict(x).Data;
        Assert.That(actual.Length, Is.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-5 + 1e-5 * Math.Abs(expected[i])), $"element {i}");
    }

    /// <summary>
    /// Float64 by the scatter definition: input pixel (i, j) adds x·K[ky, kx] at full-output (i·s + ky·d, j·s + kx·d);
    /// the output is that full image from TensorFlow's pad_before, pad_before = ⌊max((H − 1)·s + k_eff − OH, 0)/2⌋ for
    /// "same" and 0 for "valid".
    /// </summary>
    private static double[] Scatter(float[] x, int n, int h, int w, int c, float[] k, float[] bias, int kernel, int s, int d, string padding, int oh, int ow, int f)
    {
        int keff = (kernel - 1) * d + 1;
        int top = padding == "same" ? Math.Max((h - 1) * s + keff - oh, 0) / 2 : 0, left = padding == "same" ? Math.Max((w - 1) * s + keff - ow, 0) / 2 : 0;
        var y = new double[n * oh * ow * f];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            int oy = i * s + ky * d - top, ox = j * s + kx * d - left;
                            if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                            for (int o = 0; o < f; o++)
                                for (int ci = 0; ci < c; ci++)
                                    y[((b * oh + oy) * ow + ox) * f + o] += x[((b * h + i) * w + j) * c + ci] * (double)k[((ky * kernel + kx) * f + o) * c + ci];
                        }
        for (int i = 0; i < y.Length; i++) y[i] += bias[i % f];
        return y;
    }

    [Test]
    public void SummaryPrintsKerasShapesAndParameterCounts()
    {
        using var model = new Sequential(
            new Conv2D(8, 3, strides: 2, padding: "same", activation: "relu", inputShape: [28, 28, 1]),
            new Conv2DTranspose(16, 3, strides: 2, padding: "same", activation: "relu"),
            new Conv2DTranspose(1, [2, 3], padding: "valid", useBias: false));
        string text = model.SummaryText();
        // Params: 3·3·1·8 + 8 = 80; 3·3·16·8 + 16 = 1,168; 2·3·1·16 = 96.
        foreach (var (shape, count) in new[] { ("(None, 14, 14, 8)", "80"), ("(None, 28, 28, 16)", "1,168"), ("(None, 29, 30, 1)", "96") })
            Assert.That(text, Does.Match(System.Text.RegularExpressions.Regex.Escape(shape) + @"\s+│\s+" + count + " │"), shape);
        Assert.That(text, Does.Contain("conv2d_transpose"));
        Assert.That(text, Does.Contain("Total params: 1,344"));
    }

    private static Sequential Upsampler() => new(
        new Conv2D(4, 3, strides: 2, padding: "same", activation: "relu", inputShape: [8, 8, 1]),
        new Conv2DTranspose(3, 3, strides: 2, padding: "same", outputPadding: 1, activation: "tanh", kernelRegularizer: new SequentialNet.Regularizers.L2(1e-3)),
        new Conv2DTranspose(1, [2, 2], padding: "same", dilationRate: [1, 2], name: "last"));

    [Test]
    public void ConfigJsonAndSaveLoadRoundTrip()
    {
        var x = Training.TestData.Random(16 * 64, 1, seed: 3, 1f).Reshape(16, 8, 8, 1);
        using var model = Upsampler();
        model.Compile(optimizer: new Adam(1e-2), loss: "mse");
        var history = model.Fit(x, x, epochs: 8, batchSize: 8, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]), "an autoencoder of transposed convolutions learns");

        using var fromJson = Model.FromJson(model.ToJson());
        var copy = (Conv2DTranspose)fromJson.Layers[1];
        Assert.That(copy.OutputPadding, Is.EqualTo(new[] { 1, 1 }));
        Assert.That(copy.Strides, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(copy.Activation.Name, Is.EqualTo("tanh"));
        Assert.That(copy.KernelRegularizer, Is.Not.Null);
        Assert.That(((Conv2DTranspose)fromJson.Layers[2]).DilationRate, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(((Conv2DTranspose)fromJson.Layers[2]).OutputPadding, Is.Null);
        Assert.That(model.ToJson(), Does.Contain("\"class_name\": \"Conv2DTranspose\"").And.Contain("\"output_padding\": null"));

        string path = Path.Combine(_folder, "deconv.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        Assert.That(loaded.Predict(x).Data, Is.EqualTo(model.Predict(x).Data), "the loaded model predicts what the saved one did");
        Assert.That(loaded.GetWeights()[2].Shape, Is.EqualTo(new[] { 3, 3, 3, 4 }), "kernel (kh, kw, filters, in)");
    }

    [Test]
    public void BadArgumentsFailWithKerasMessages()
    {
        Assert.That(() => new Conv2DTranspose(0, 3), Throws.ArgumentException.With.Message.Contains("filters=0"));
        Assert.That(() => new Conv2DTranspose(2, [1, 0]), Throws.ArgumentException.With.Message.Contains("kernel_size=(1, 0)"));
        Assert.That(() => new Conv2DTranspose(2, 3, strides: 2, outputPadding: 2),
            Throws.ArgumentException.With.Message.Contains("`output_padding` must be strictly less than `strides`").And.Message.Contains("output_padding=(2, 2)"));
        Assert.That(() => new Conv2DTranspose(2, [3], strides: [2, 3], outputPadding: [1, 3]),
            Throws.ArgumentException.With.Message.Contains("`output_padding` must be strictly less than `strides`"));
        Assert.That(() => new Conv2DTranspose(2, [2, 2], strides: [2], dilationRate: [2, 1]),
            Throws.ArgumentException.With.Message.Contains("`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=(2, 2) and dilation_rate=(2, 1)"));
        Assert.That(() => new Conv2DTranspose(2, 3, padding: "full"), Throws.ArgumentException.With.Message.Contains("unknown padding \"full\""));
    }

    [Test]
    public void BadInputsFailBeforeAnyWorkWithTheShapes()
    {
        var flat = new Sequential(new Conv2DTranspose(4, 3, inputShape: [784]));
        Assert.That(() => flat.Compile(optimizer: "sgd", loss: "mse"),
            Throws.ArgumentException.With.Message.Contains("conv2d_transpose").And.Message.Contains("expected ndim=4, found ndim=2. Full shape received: (None, 784)"));
        // An even kernel with "same" and output_padding 0 gives 2H − 2 rows, whose convolution has H − 1: TensorFlow refuses it.
        var even = new Sequential(new Conv2DTranspose(4, 2, strides: 2, padding: "same", outputPadding: 0, inputShape: [5, 5, 1]));
        Assert.That(() => even.Compile(optimizer: "sgd", loss: "mse"),
            Throws.ArgumentException.With.Message.Contains("(None, 5, 5, 1)").And.Message.Contains("gives an output of (8, 8)").And.Message.Contains("not the input's (5, 5)"));

        using var model = new Sequential(new Conv2DTranspose(4, 3, inputShape: [6, 6, 2]), new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        var layer = (Conv2DTranspose)model.Layers[0];
        Assert.That(() => layer.ComputeOutputShape([6, 6, 3]),
            Throws.ArgumentException.With.Message.Contains("expected axis -1 of input shape to have value 2").And.Message.Contains("(None, 6, 6, 3)"));
    }

    private static float[] Predict(Layer layer, Tensor x)
    {
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        return model.Predict(x).Data;
    }
}
