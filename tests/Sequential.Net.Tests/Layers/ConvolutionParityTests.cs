using SequentialNet.Initializers;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.LayerTests;

/// <summary>
/// Conv2D and pooling against values worked by hand from TensorFlow's padding rule
/// (out = ⌈in/stride⌉, pad_total = max((out − 1)·stride + k − in, 0), ⌊pad_total/2⌋ before, the rest after), and
/// Conv2D with a 1 × 1 kernel against Dense on the channel axis.
/// </summary>
public class ConvolutionParityTests
{
    [SetUp]
    public void SetUp() => Utils.SetRandomSeed(11);

    /// <summary>x = 1..n·h·w in row-major order as a (n, h, w, 1) batch.</summary>
    private static Tensor Counting(int h, int w) => new(Enumerable.Range(1, h * w).Select(v => (float)v).ToArray(), 1, h, w, 1);

    private static float[] Predict(Layer layer, Tensor x)
    {
        using var model = new Sequential(layer);
        model.Compile(optimizer: "sgd", loss: "mse");
        return model.Predict(x).Data;
    }

    [Test]
    public void SamePaddingWithStride2AndAnEvenKernelPadsOnlyTheBottomAndRight()
    {
        // 5×5 input, 2×2 kernel of ones, stride 2, "same": out 3, pad_total = 2·2 + 2 − 5 = 1 → 0 before, 1 after.
        // Windows rows {0,1}, {2,3}, {4}: e.g. out[0,0] = 1+2+6+7, out[0,2] = 5+10, out[2,2] = 25.
        var conv = new Conv2D(1, 2, strides: 2, padding: "same", useBias: false, kernelInitializer: new Ones(), inputShape: [5, 5, 1]);
        Assert.That(Predict(conv, Counting(5, 5)), Is.EqualTo(new float[] { 16, 24, 15, 56, 64, 35, 43, 47, 25 }));
    }

    [Test]
    public void SamePaddingWithAnOddKernelOnAnEvenInputPadsTheExtraCellAfter()
    {
        // 4×4 input, 3×3 kernel of ones, stride 2, "same": out 2, pad_total = 2 + 3 − 4 = 1 → 0 before, 1 after.
        // out[0,0] = Σ rows 0..2 × cols 0..2 = 1+2+3+5+6+7+9+10+11 = 54; out[0,1] = cols 2,3 of rows 0..2 = 3+4+7+8+11+12 = 45;
        // out[1,0] = rows 2,3 × cols 0..2 = 9+10+11+13+14+15 = 72; out[1,1] = 11+12+15+16 = 54.
        var conv = new Conv2D(1, 3, strides: 2, padding: "same", useBias: false, kernelInitializer: new Ones(), inputShape: [4, 4, 1]);
        Assert.That(Predict(conv, Counting(4, 4)), Is.EqualTo(new float[] { 54, 45, 72, 54 }));
    }

    [Test]
    public void AveragePoolingAtAPaddedBorderCountsOnlyCellsInsideTheImage()
    {
        // 3×3 input 1..9, pool 2, stride 2, "same": out 2, pad 0 before and 1 after. The border windows hold 2
        // and 1 real cells: (1+2+4+5)/4 = 3, (3+6)/2 = 4.5, (7+8)/2 = 7.5, 9/1 = 9 (a zero-padded mean would give 2.25 …).
        Assert.That(Predict(new AveragePooling2D(2, padding: "same", inputShape: [3, 3, 1]), Counting(3, 3)), Is.EqualTo(new[] { 3f, 4.5f, 7.5f, 9f }));
        Assert.That(Predict(new MaxPooling2D(2, padding: "same", inputShape: [3, 3, 1]), Counting(3, 3)), Is.EqualTo(new[] { 5f, 6f, 8f, 9f }));
    }

    [Test]
    public void ValidPoolingDropsTheCellsNoWindowReaches()
    {
        // 5×5 → 2×2 windows at rows/cols {0,1} and {2,3}; row and column 4 are not read.
        Assert.That(Predict(new MaxPooling2D(2, inputShape: [5, 5, 1]), Counting(5, 5)), Is.EqualTo(new[] { 7f, 9f, 17f, 19f }));
        Assert.That(Predict(new GlobalAveragePooling2D(inputShape: [5, 5, 1]), Counting(5, 5)), Is.EqualTo(new[] { 13f }));
        Assert.That(Predict(new GlobalMaxPooling2D(inputShape: [5, 5, 1]), Counting(5, 5)), Is.EqualTo(new[] { 25f }));
    }

    [TestCase("relu", true)]      // fused into the convolution's epilogue
    [TestCase("tanh", true)]      // bias fused, tanh as its own op
    [TestCase("relu", false)]     // no bias: the activation as its own op
    public void Conv2DWithA1x1KernelIsDenseOnTheChannelAxis(string activation, bool useBias)
    {
        var x = Training.TestData.Random(6 * 3 * 5, 2, seed: 3, 1f).Reshape(6, 3, 5, 2);
        var y = Training.TestData.Random(6, 3 * 5 * 4, seed: 4, 1f);
        using var conv = new Sequential(new Conv2D(4, 1, activation: activation, useBias: useBias, biasInitializer: new RandomUniform(-0.5, 0.5), inputShape: [3, 5, 2]), new Flatten());
        using var dense = new Sequential(new Dense(4, activation: activation, useBias: useBias, inputShape: [3, 5, 2]), new Flatten());
        conv.Compile(optimizer: new Adam(0.01), loss: "mse");
        dense.Compile(optimizer: new Adam(0.01), loss: "mse");
        var weights = conv.GetWeights();
        dense.SetWeights([weights[0].Reshape(2, 4), .. weights.Skip(1)]);   // kernel (1, 1, 2, 4) is the Dense kernel (2, 4)
        AssertClose(conv.Predict(x).Data, dense.Predict(x).Data, "forward");
        var lossConv = conv.Fit(x, y, epochs: 3, batchSize: 4, shuffle: false, verbose: 0)["loss"];
        var lossDense = dense.Fit(x, y, epochs: 3, batchSize: 4, shuffle: false, verbose: 0)["loss"];
        AssertClose(lossConv.Select(v => (float)v).ToArray(), lossDense.Select(v => (float)v).ToArray(), "losses");
        AssertClose(conv.GetWeights()[0].Data, dense.GetWeights()[0].Data, "trained kernel");
    }

    [Test]
    public void KernelRegularizationJoinsTheLoss()
    {
        // Evaluate's loss = mse + 0.01·Σ kernel², the penalty Keras adds for kernel_regularizer=L2(0.01).
        var x = Training.TestData.Random(4 * 4 * 4, 1, seed: 9, 1f).Reshape(4, 4, 4, 1);
        var y = Training.TestData.Random(4, 2 * 2 * 2, seed: 10, 1f);
        using var model = new Sequential(new Conv2D(2, 3, kernelRegularizer: new SequentialNet.Regularizers.L2(0.01), inputShape: [4, 4, 1]), new Flatten());
        model.Compile(optimizer: "sgd", loss: "mse");
        float[] p = model.Predict(x).Data, t = y.Data, w = model.GetWeights()[0].Data;
        double mse = p.Select((v, i) => (double)(v - t[i]) * (v - t[i])).Sum() / p.Length;
        double penalty = 0.01 * w.Sum(v => (double)v * v);
        Assert.That(model.Evaluate(x, y, verbose: 0)["loss"], Is.EqualTo(mse + penalty).Within(1e-5 * (mse + penalty)));
    }

    private static void AssertClose(float[] actual, float[] expected, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what);
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-6 + 1e-5 * Math.Abs(expected[i])), $"{what} [{i}]");
    }
}
