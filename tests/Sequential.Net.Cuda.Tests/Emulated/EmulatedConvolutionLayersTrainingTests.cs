using SequentialNet.Layers;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// A model of Conv2DTranspose, DepthwiseConv2D, SeparableConv2D and a grouped Conv2D trained through
/// Compile(device: "cuda") on the emulated device (the real kernels and CudaBackend, whole steps recorded once and
/// replayed) against the CPU backend with the same seed: per-step losses, final weights and predictions agree.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedConvolutionLayersTrainingTests
{
    private const int Steps = 12, Batch = 16;

    private static Sequential Model() => new(
        new Conv2D(6, 3, strides: 2, padding: "same", activation: "relu", inputShape: [8, 8, 2]),
        new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2, activation: "relu"),
        new Conv2DTranspose(4, 3, strides: 2, padding: "same", activation: "relu"),
        new SeparableConv2D(6, [2, 3], depthMultiplier: 2, activation: "relu"),
        new Conv2D(6, 2, groups: 3, activation: "tanh"),
        new Conv2DTranspose(3, [2, 2], padding: "valid", outputPadding: null, useBias: false),
        new GlobalAveragePooling2D(), new Dense(4, activation: "softmax"));

    [Test]
    public void LossesWeightsAndPredictionsMatchTheCpu()
    {
        var random = new Random(3);
        var x = new Tensor(Enumerable.Range(0, Steps * Batch * 128).Select(_ => (float)random.NextDouble()).ToArray(), Steps * Batch, 8, 8, 2);
        var y = Tensor.FromLabels(Enumerable.Range(0, Steps * Batch).Select(i => i % 4).ToArray());
        EmulatedModelRun.AssertMatchesCpu(Model, x, y, seed: 77, Batch);
    }
}
