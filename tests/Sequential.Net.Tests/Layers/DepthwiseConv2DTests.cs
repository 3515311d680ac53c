using SequentialNet.Initializers;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.LayerTests;

/// <summary>
/// DepthwiseConv2D against Keras 3: the output shapes its own tests assert (depthwise_conv_test.py), float64 values
/// by the algorithm of its numpy reference (the kernel dilated with zeros, x zero-padded by TensorFlow's "same"
/// rule, then every channel c convolved with K[:, :, c, m] into output channel c·M + m), a case worked by hand,
/// Summary, config and Save/Load, training, and the errors of bad arguments and inputs.
/// </summary>
public class DepthwiseConv2DTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        Utils.SetRandomSeed(23);
        _folder = Path.Combine(Path.GetTempPath(), "snet-depthwise-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    // Keras's test_depthwise_conv2d_basic.
    [TestCase(5, new[] { 2 }, new[] { 1 }, "valid", new[] { 1 }, new[] { 5, 5, 4 }, new[] { 4, 4, 20 })]
    [TestCase(6, new[] { 2 }, new[] { 1 }, "same", new[] { 2, 2 }, new[] { 4, 4, 4 }, new[] { 4, 4, 24 })]
    [TestCase(6, new[] { 2, 2 }, new[] { 2, 2 }, "valid", new[] { 1, 1 }, new[] { 5, 5, 4 }, new[] { 2, 2, 24 })]
    public void OutputShapesAreKeras(int multiplier, int[] kernel, int[] strides, string padding, int[] dilation, int[] input, int[] expected)
    {
        var layer = new DepthwiseConv2D(kernel, strides, padding, multiplier, dilation);
        Assert.That(layer.ComputeOutputShape(input), Is.EqualTo(expected));
        layer.Build(input);
        Assert.That(layer.Kernel!.Shape, Is.EqualTo(new[] { 2, 2, input[2], multiplier }), "kernel (kh, kw, in, depth_multiplier)");
        Assert.That(layer.Bias!.Shape, Is.EqualTo(new[] { input[2] * multiplier }));
    }

    [Test]
    public void EachChannelHasItsOwnFiltersInKerasOrder()
    {
        // 2×2 image, 2 channels: channel 0 = 1..4, channel 1 = 10·(1..4). Kernel 2×2, multiplier 2: K[:, :, c, m] = (m + 1)
        // everywhere except K[:, :, 1, 1] = −1. "valid": one pixel, output channel c·2 + m = Σ window of channel c · K[c, m]:
        // (10, 20, 100, −100).
        var kernel = new float[2 * 2 * 2 * 2];
        for (int tap = 0; tap < 4; tap++)
        {
            kernel[tap * 4 + 0] = 1; kernel[tap * 4 + 1] = 2;   // c = 0: m = 0, 1
            kernel[tap * 4 + 2] = 1; kernel[tap * 4 + 3] = -1;  // c = 1
        }
        var layer = new DepthwiseConv2D(2, depthMultiplier: 2, useBias: false, inputShape: [2, 2, 2]);
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        model.SetWeights([new Tensor(kernel, 2, 2, 2, 2)]);
        var x = new Tensor([1f, 10, 2, 20, 3, 30, 4, 40], 1, 2, 2, 2);
        Assert.That(model.Predict(x).Data, Is.EqualTo(new float[] { 10, 20, 100, -100 }));
    }

    [TestCase(2, 1, "valid", 1, 5)]   // Keras's correctness cases on (2, 8, 8, 4)
    [TestCase(2, 1, "same", 2, 6)]
    [TestCase(2, 2, "valid", 1, 6)]
    [TestCase(3, 2, "same", 1, 1)]    // stride 2 "same" with an odd kernel on an even image: the extra pad cell after
    [TestCase(4, 1, "same", 1, 2)]    // an even kernel: 1 before, 2 after
    public void ValuesAreKerasNumpyReference(int kernel, int stride, string padding, int dilation, int multiplier)
    {
        const int n = 2, h = 8, w = 8, c = 4;
        var x = Training.TestData.Random(n * h * w, c, seed: 8, 1f).Reshape(n, h, w, c);
        var layer = new DepthwiseConv2D(kernel, strides: stride, padding: padding, depthMultiplier: multiplier, dilationRate: dilation,
            biasInitializer: new RandomUniform(-1, 1), inputShape: [h, w, c]);
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        double[] expected = NumpyDepthwise(x.Data, n, h, w, c, layer.Kernel!.Value, layer.Bias!.Value, kernel, stride, dilation, padding, multiplier);
        float[] actual = model.Predict(x).Data;
        Assert.That(actual.Length, Is.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-5 + 1e-5 * Math.Abs(expected[i])), $"element {i}");
    }

    /// <summary>Keras's np_depthwise_conv2d in float64: dilate the kernel, pad x by TensorFlow's "same" rule, valid windows.</summary>
    internal static double[] NumpyDepthwise(float[] x, int n, int h, int w, int c, float[] k, float[]? bias, int kernel, int s, int d, string padding, int m)
    {
        int ke = (kernel - 1) * d + 1;
        int padTotal(int len) => Math.Max(((len + s - 1) / s - 1) * s + ke - len, 0);
        int top = padding == "same" ? padTotal(h) / 2 : 0, left = padding == "same" ? padTotal(w) / 2 : 0;
        int ph = h + (padding == "same" ? padTotal(h) : 0), pw = w + (padding == "same" ? padTotal(w) : 0);
        int oh = (ph - ke) / s + 1, ow = (pw - ke) / s + 1;
        double Padded(int b, int y, int xx, int ch)
        {
            y -= top; xx -= left;
            return y < 0 || y >= h || xx < 0 || xx >= w ? 0 : x[((b * h + y) * w + xx) * c + ch];
        }
        double Dilated(int ky, int kx, int ch, int mm)   // the zero-dilated kernel of size ke × ke
            => ky % d != 0 || kx % d != 0 ? 0 : k[(((ky / d) * kernel + kx / d) * c + ch) * m + mm];
        var y = new double[n * oh * ow * c * m];
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                        for (int mm = 0; mm < m; mm++)
                        {
                            double sum = bias == null ? 0 : bias[ch * m + mm];
                            for (int ky = 0; ky < ke; ky++)
                                for (int kx = 0; kx < ke; kx++)
                                    sum += Padded(b, oy * s + ky, ox * s + kx, ch) * Dilated(ky, kx, ch, mm);
                            y[(((b * oh + oy) * ow + ox) * c + ch) * m + mm] = sum;
                        }
        return y;
    }

    [Test]
    public void SummaryPrintsKerasShapesAndParameterCounts()
    {
        using var model = new Sequential(
            new DepthwiseConv2D(3, depthMultiplier: 2, activation: "relu", inputShape: [28, 28, 3]),
            new DepthwiseConv2D([3, 3], strides: [2, 2], padding: "same", useBias: false));
        string text = model.SummaryText();
        // Params: 3·3·3·2 + 6 = 60; 3·3·6·1 = 54.
        foreach (var (shape, count) in new[] { ("(None, 26, 26, 6)", "60"), ("(None, 13, 13, 6)", "54") })
            Assert.That(text, Does.Match(System.Text.RegularExpressions.Regex.Escape(shape) + @"\s+│\s+" + count + " │"), shape);
        Assert.That(text, Does.Contain("depthwise_conv2d"));
        Assert.That(text, Does.Contain("Total params: 114"));
    }

    [Test]
    public void ConfigJsonSaveLoadAndTraining()
    {
        var ((x, y), _) = SequentialNet.Datasets.Digits.LoadData();
        x = x.Reshape(-1, 8, 8, 1) / 16f;
        using var model = new Sequential(
            new Conv2D(4, 3, padding: "same", activation: "relu", inputShape: [8, 8, 1]),
            new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2, activation: "relu", depthwiseRegularizer: new SequentialNet.Regularizers.L2(1e-4)),
            new DepthwiseConv2D([2, 3], strides: [2, 1], depthwiseInitializer: new HeUniform(), name: "dw2"),
            new Flatten(), new Dense(10, activation: "softmax"));
        model.Compile(optimizer: new Adam(3e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var history = model.Fit(x, y, epochs: 6, batchSize: 32, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0] / 3), "a CNN with depthwise layers learns the digits");

        using var fromJson = Model.FromJson(model.ToJson());
        var copy = (DepthwiseConv2D)fromJson.Layers[1];
        Assert.That(copy.DepthMultiplier, Is.EqualTo(2));
        Assert.That(copy.Padding, Is.EqualTo("same"));
        Assert.That(copy.DepthwiseRegularizer, Is.Not.Null);
        Assert.That(((DepthwiseConv2D)fromJson.Layers[2]).Strides, Is.EqualTo(new[] { 2, 1 }));
        Assert.That(model.ToJson(), Does.Contain("\"class_name\": \"DepthwiseConv2D\"").And.Contain("\"depth_multiplier\": 2").And.Contain("\"depthwise_initializer\""));

        string path = Path.Combine(_folder, "depthwise.snet");
        model.Save(path);
        using var loaded = Model.Load(path);
        Assert.That(loaded.Predict(x).Data, Is.EqualTo(model.Predict(x).Data), "the loaded model predicts what the saved one did");
        Assert.That(loaded.GetWeights()[2].Shape, Is.EqualTo(new[] { 3, 3, 4, 2 }), "kernel (kh, kw, in, depth_multiplier)");
    }

    private static Sequential DepthwiseCnn() => new(
        new DepthwiseConv2D(3, padding: "same", depthMultiplier: 3, activation: "relu", inputShape: [8, 8, 1]),
        new DepthwiseConv2D([2, 2], strides: [2, 2], depthMultiplier: 1, activation: "relu"),
        new DepthwiseConv2D(3, dilationRate: 2, depthMultiplier: 2, padding: "same"),
        new GlobalAveragePooling2D(), new Dense(5, activation: "softmax"));

    [Test]
    public void TrainingGivesTheSameBitsAtAnyThreadCountAndAllocatesNothingPerStep()
    {
        var x = Training.TestData.Random(3232, 64, 1).Reshape(3232, 8, 8, 1);
        var y = Training.TestData.Labels(3232, 5, 2);
        float[]? first = null;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                SequentialNet.Backends.Cpu.CpuWorkers.ThreadCount = threads;
                Utils.SetRandomSeed(5);
                using var model = DepthwiseCnn();
                model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy");
                var probe = new AllocationProbe { LastBatch = 100 };
                // Two epochs, measured in the second (the probe's batch index restarts each epoch): one-time runtime
                // work (a method's tier-up, a worker's first use of its scratch) can land inside the first epoch on a
                // loaded machine; a CI run saw 2,768 bytes there once. Per-step allocation shows in either epoch.
                model.Fit(x, y, epochs: 2, batchSize: 32, verbose: 0, callbacks: [probe]);
                float[] weights = model.GetWeights().SelectMany(w => w.Data).ToArray();
                first ??= weights;
                Assert.That(weights, Is.EqualTo(first), $"weights after training with {threads} threads");
                Assert.That(probe.AtLast - probe.AtBatch2, Is.EqualTo(0), $"bytes allocated by 98 depthwise training steps with {threads} threads");
            }
        }
        finally { SequentialNet.Backends.Cpu.CpuWorkers.ThreadCount = 0; }
    }

    /// <summary>The bytes this thread allocated between the end of batch 2 and the end of <see cref="LastBatch"/>.</summary>
    internal sealed class AllocationProbe : SequentialNet.Callbacks.Callback
    {
        public long AtBatch2 = -1, AtLast = -1;
        public int LastBatch;
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (batch == 2) AtBatch2 = now;
            if (batch == LastBatch) AtLast = now;
        }
    }

    [Test]
    public void BadArgumentsFailWithKerasMessages()
    {
        Assert.That(() => new DepthwiseConv2D(1, depthMultiplier: 0),
            Throws.ArgumentException.With.Message.Contains("Expected a strictly positive value. Received depth_multiplier=0."));
        Assert.That(() => new DepthwiseConv2D([1, 0], depthMultiplier: 2), Throws.ArgumentException.With.Message.Contains("kernel_size=(1, 0)"));
        Assert.That(() => new DepthwiseConv2D([2, 2], strides: [1, 0]), Throws.ArgumentException.With.Message.Contains("strides=(1, 0)"));
        Assert.That(() => new DepthwiseConv2D([2, 2], strides: [2], dilationRate: [2, 1]),
            Throws.ArgumentException.With.Message.Contains("`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=(2, 2) and dilation_rate=(2, 1)"));
    }

    [Test]
    public void BadInputsFailBeforeAnyWorkWithTheShapes()
    {
        var tooSmall = new Sequential(new DepthwiseConv2D(5, inputShape: [3, 8, 2]));
        Assert.That(() => tooSmall.Compile(optimizer: "sgd", loss: "mse"),
            Throws.ArgumentException.With.Message.Contains("depthwise_conv2d").And.Message.Contains("(None, 3, 8, 2)").And.Message.Contains("computed output height would be -1"));
        var flat = new Sequential(new DepthwiseConv2D(3, inputShape: [28, 28]));
        Assert.That(() => flat.Compile(optimizer: "sgd", loss: "mse"), Throws.ArgumentException.With.Message.Contains("expected ndim=4, found ndim=3. Full shape received: (None, 28, 28)"));

        using var model = new Sequential(new DepthwiseConv2D(3, inputShape: [6, 6, 2]), new Flatten(), new Dense(1));
        model.Compile(optimizer: "sgd", loss: "mse");
        var layer = (DepthwiseConv2D)model.Layers[0];
        Assert.That(() => layer.ComputeOutputShape([6, 6, 3]),
            Throws.ArgumentException.With.Message.Contains("expected axis -1 of input shape to have value 2").And.Message.Contains("(None, 6, 6, 3)"));
    }
}
