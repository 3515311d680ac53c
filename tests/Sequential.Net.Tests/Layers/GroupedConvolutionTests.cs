using SequentialNet.Initializers;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.LayerTests;

/// <summary>
/// Conv2D and Conv1D with Keras's <c>groups</c>: the input channels split into groups, each convolved with its own
/// filters/groups filters (kernel (kh, kw, in/groups, filters)) and the results concatenated. Checked against
/// ordinary convolutions of each group's channels with the group's kernel slice (the GEMM path), against float64
/// sums for Conv1D, and for Summary counts, config round trips, training and the errors Keras raises.
/// </summary>
public class GroupedConvolutionTests
{
    [SetUp]
    public void SetUp() => Utils.SetRandomSeed(31);

    /// <summary>Channels [from, from + count) of a (n, h, w, c) tensor.</summary>
    private static Tensor Channels(Tensor x, int from, int count)
    {
        int c = x.Shape[^1], pixels = x.Data.Length / c;
        var data = new float[pixels * count];
        for (int p = 0; p < pixels; p++) Array.Copy(x.Data, p * c + from, data, p * count, count);
        return new Tensor(data, [.. x.Shape[..^1], count]);
    }

    /// <summary>Output channels [from, from + count) of a kernel (…, filters), with the bias slice.</summary>
    private static Tensor Filters(Tensor kernel, int from, int count) => Channels(kernel, from, count);

    [TestCase(2, 3, 1, "valid", 1)]
    [TestCase(3, 2, 2, "same", 1)]
    [TestCase(2, 3, 1, "same", 2)]
    [TestCase(4, 1, 1, "valid", 1)]   // 4 groups of one input channel: a depthwise convolution with multiplier 2
    public void Conv2DWithGroupsIsTheConcatenationOfEachGroupsConvolution(int groups, int kernel, int stride, string padding, int dilation)
    {
        const int h = 7, w = 6, c = 4 * 3, filters = 24;
        int cin = groups == 4 ? 4 : c, cg = cin / groups, fg = filters / groups;
        var x = Training.TestData.Random(2 * h * w, cin, seed: 2, 1f).Reshape(2, h, w, cin);
        using var grouped = new Sequential(new Conv2D(filters, kernel, strides: stride, padding: padding, dilationRate: dilation, activation: "relu",
            biasInitializer: new RandomUniform(-0.5, 0.5), inputShape: [h, w, cin], groups: groups));
        grouped.Compile(optimizer: "sgd", loss: "mse");
        var weights = grouped.GetWeights();
        Assert.That(weights[0].Shape, Is.EqualTo(new[] { kernel, kernel, cg, filters }), "kernel (kh, kw, in/groups, filters)");
        float[] actual = grouped.Predict(x).Data;
        for (int g = 0; g < groups; g++)
        {
            using var single = new Sequential(new Conv2D(fg, kernel, strides: stride, padding: padding, dilationRate: dilation, activation: "relu", inputShape: [h, w, cg]));
            single.Compile(optimizer: "sgd", loss: "mse");
            single.SetWeights([Filters(weights[0], g * fg, fg), new Tensor(weights[1].Data.Skip(g * fg).Take(fg).ToArray(), fg)]);
            float[] expected = single.Predict(Channels(x, g * cg, cg)).Data;
            for (int p = 0; p < expected.Length / fg; p++)
                for (int j = 0; j < fg; j++)
                    Assert.That(actual[p * filters + g * fg + j], Is.EqualTo(expected[p * fg + j]).Within(1e-5 + 1e-5 * Math.Abs(expected[p * fg + j])), $"group {g} pixel {p} filter {j}");
        }
    }

    [TestCase("same", 2, 1)]   // 5 outputs; pad_total = 4·2 + 3 − 9 = 2 → 1 before
    [TestCase("causal", 1, 2)] // Keras: (3 − 1)·2 = 4 zeros before, none after → 9 outputs
    [TestCase("causal", 2, 1)] // 2 before, ⌊(9 − 1)/2⌋ + 1 = 5 outputs
    public void Conv1DWithGroupsMatchesFloat64Sums(string padding, int stride, int dilation)
    {
        const int steps = 9, c = 6, filters = 4, groups = 2, k = 3;
        var x = Training.TestData.Random(2 * steps, c, seed: 4, 1f).Reshape(2, steps, c);
        var layer = new Conv1D(filters, k, strides: stride, padding: padding, dilationRate: dilation, inputShape: [steps, c], groups: groups, biasInitializer: new RandomUniform(-1, 1));
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        float[] kernel = layer.Kernel!.Value, bias = layer.Bias!.Value;
        Assert.That(layer.Kernel.Shape, Is.EqualTo(new[] { k, c / groups, filters }));
        // Keras's output length and left padding (conv_utils / TensorFlow "SAME"; causal pads the start only).
        int effective = (k - 1) * dilation + 1;
        int outputs = padding == "same" ? (steps + stride - 1) / stride : (steps - 1) / stride + 1;
        int before = padding == "same" ? Math.Max((outputs - 1) * stride + effective - steps, 0) / 2 : effective - 1;
        float[] actual = model.Predict(x).Data;
        Assert.That(actual.Length, Is.EqualTo(2 * outputs * filters));
        for (int b = 0; b < 2; b++)
            for (int o = 0; o < outputs; o++)
                for (int f = 0; f < filters; f++)
                {
                    int group = f / (filters / groups);
                    double sum = bias[f];
                    for (int t = 0; t < k; t++)
                    {
                        int i = o * stride - before + t * dilation;
                        if (i < 0 || i >= steps) continue;
                        for (int ci = 0; ci < c / groups; ci++)
                            sum += x.Data[(b * steps + i) * c + group * (c / groups) + ci] * (double)kernel[(t * (c / groups) + ci) * filters + f];
                    }
                    Assert.That(actual[(b * outputs + o) * filters + f], Is.EqualTo(sum).Within(1e-5 + 1e-5 * Math.Abs(sum)), $"sample {b} step {o} filter {f}");
                }
    }

    [Test]
    public void SummaryConfigAndTraining()
    {
        var ((x, y), _) = SequentialNet.Datasets.Digits.LoadData();
        x = x.Rows(0, 480).Reshape(-1, 8, 8, 1) / 16f; y = y.Rows(0, 480);
        using var model = new Sequential(
            new Conv2D(8, 3, padding: "same", activation: "relu", inputShape: [8, 8, 1]),
            new Conv2D(16, 3, activation: "relu", groups: 4),
            new Reshape([36, 16]), new Conv1D(8, 3, groups: 2, activation: "relu"),
            new Flatten(), new Dense(10, activation: "softmax"));
        string text = model.SummaryText();
        // Params: 3·3·1·8 + 8 = 80; 3·3·2·16 + 16 = 304; 3·8·8 + 8 = 200.
        foreach (var (shape, count) in new[] { ("(None, 6, 6, 16)", "304"), ("(None, 34, 8)", "200") })
            Assert.That(text, Does.Match(System.Text.RegularExpressions.Regex.Escape(shape) + @"\s+│\s+" + count + " │"), shape);
        model.Compile(optimizer: new Adam(3e-3), loss: "sparse_categorical_crossentropy");
        var history = model.Fit(x, y, epochs: 5, batchSize: 32, verbose: 0);
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0] / 2), "a CNN with grouped convolutions learns the digits");
        Assert.That(model.ToJson(), Does.Contain("\"groups\": 4").And.Contain("\"groups\": 2"));
        using var copy = Model.FromJson(model.ToJson());
        Assert.That(((Conv2D)copy.Layers[1]).Groups, Is.EqualTo(4));
        Assert.That(((Conv1D)copy.Layers[3]).Groups, Is.EqualTo(2));
        Assert.That(((Conv2D)copy.Layers[0]).Groups, Is.EqualTo(1));
    }

    [Test]
    public void TrainingGivesTheSameBitsAtAnyThreadCountAndAllocatesNothingPerStep()
    {
        var x = Training.TestData.Random(3232, 9 * 9 * 4, 1).Reshape(3232, 9, 9, 4);
        var y = Training.TestData.Labels(3232, 5, 2);
        float[]? first = null;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                SequentialNet.Backends.Cpu.CpuWorkers.ThreadCount = threads;
                Utils.SetRandomSeed(5);
                using var model = new Sequential(
                    new Conv2D(8, 3, strides: 2, padding: "same", activation: "relu", inputShape: [9, 9, 4], groups: 2),
                    new Conv2D(12, [2, 3], dilationRate: [1, 2], padding: "same", groups: 4),
                    new GlobalAveragePooling2D(), new Dense(5, activation: "softmax"));
                model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy");
                var probe = new DepthwiseConv2DTests.AllocationProbe { LastBatch = 100 };
                // Two epochs, measured in the second (the probe's batch index restarts each epoch): one-time runtime
                // work (a method's tier-up, a worker's first use of its scratch) can land inside the first epoch on a
                // loaded machine; a CI run saw 2,768 bytes there once. Per-step allocation shows in either epoch.
                model.Fit(x, y, epochs: 2, batchSize: 32, verbose: 0, callbacks: [probe]);
                float[] weights = model.GetWeights().SelectMany(w => w.Data).ToArray();
                first ??= weights;
                Assert.That(weights, Is.EqualTo(first), $"weights after training with {threads} threads");
                Assert.That(probe.AtLast - probe.AtBatch2, Is.EqualTo(0), $"bytes allocated by 98 grouped training steps with {threads} threads");
            }
        }
        finally { SequentialNet.Backends.Cpu.CpuWorkers.ThreadCount = 0; }
    }

    [Test]
    public void BadGroupsFailWithKerasMessages()
    {
        Assert.That(() => new Conv2D(6, 3, groups: 4),
            Throws.ArgumentException.With.Message.Contains("the number of filters must be evenly divisible by the number of groups. Received: groups=4, filters=6"));
        Assert.That(() => new Conv1D(6, 3, groups: 0), Throws.ArgumentException.With.Message.Contains("Received groups=0"));
        var model = new Sequential(new Conv2D(6, 3, inputShape: [8, 8, 5], groups: 3));
        Assert.That(() => model.Compile(optimizer: "sgd", loss: "mse"),
            Throws.ArgumentException.With.Message.Contains("conv2d").And.Message.Contains("the number of input channels must be evenly divisible by the number of groups. Received groups=3, but the input has 5 channels (full input shape is (None, 8, 8, 5))"));
        var conv1d = new Sequential(new Conv1D(4, 3, inputShape: [10, 3], groups: 2));
        Assert.That(() => conv1d.Compile(optimizer: "sgd", loss: "mse"), Throws.ArgumentException.With.Message.Contains("but the input has 3 channels"));
    }
}
