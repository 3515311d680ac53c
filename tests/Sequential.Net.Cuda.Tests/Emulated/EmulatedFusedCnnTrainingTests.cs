using SequentialNet.Layers;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The tutorial CNN's shape at small size: a first Conv2D(relu) + MaxPooling2D (one fused conv2d_relu_max_pool2d op,
/// recomputed in its backward), a second convolution whose ReLU gradient folds into its pooling's gradient and
/// whose bias gradient comes with its kernel gradient, Dropout and Dense, trained through Compile(device: "cuda")
/// on the emulated device (whole steps recorded once and replayed) against the CPU backend with the same seed:
/// per-step losses, final weights and predictions agree.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedFusedCnnTrainingTests
{
    private const int Steps = 10, Batch = 16;

    private static Sequential Model() => new(
        new Conv2D(16, 3, activation: "relu", inputShape: [12, 12, 1]),
        new MaxPooling2D(2),
        new Conv2D(16, 3, activation: "relu"),
        new MaxPooling2D(2),
        new Flatten(), new Dropout(0.3), new Dense(4, activation: "softmax"));

    [Test]
    public void LossesWeightsAndPredictionsMatchTheCpu()
    {
        var random = new Random(4);
        var x = new Tensor(Enumerable.Range(0, Steps * Batch * 144).Select(_ => (float)random.NextDouble()).ToArray(), Steps * Batch, 12, 12, 1);
        var y = Tensor.FromLabels(Enumerable.Range(0, Steps * Batch).Select(i => i % 4).ToArray());
        EmulatedModelRun.AssertMatchesCpu(Model, x, y, seed: 5, Batch);
    }
}
