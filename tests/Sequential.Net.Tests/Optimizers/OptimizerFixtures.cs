using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Optimizers;

/// <summary>One-weight and two-variable models whose gradients are known in closed form.</summary>
internal static class OptimizerFixtures
{
    /// <summary>
    /// Trains w (x = 1, y = 0, MSE, so g = 2w) for <paramref name="steps"/> steps from w0 and returns w.
    /// </summary>
    public static float TrainOneWeight(Optimizer optimizer, float w0, int steps)
    {
        using var model = new Sequential(new Dense(1, useBias: false, inputShape: [1]));
        model.Compile(optimizer: optimizer, loss: "mse");
        model.SetWeights([new Tensor([w0], 1, 1)]);
        model.Fit(new Tensor([1f], 1, 1), new Tensor([0f], 1, 1), epochs: steps, verbose: 0);
        return model.GetWeights()[0].Data[0];
    }

    /// <summary>
    /// One step of Dense(1) on x = (3, 4), y = 0 from kernel (kx, ky), bias b: with p = 3kx + 4ky + b the
    /// MSE gradients are kernel 2p·(3, 4), bias 2p. Returns (kernel, bias) after the step.
    /// </summary>
    public static (float[] Kernel, float Bias) StepTwoVariables(Optimizer optimizer, float kx, float ky, float b)
    {
        using var model = new Sequential(new Dense(1, inputShape: [2]));
        model.Compile(optimizer: optimizer, loss: "mse");
        model.SetWeights([new Tensor([kx, ky], 2, 1), new Tensor([b], 1)]);
        model.Fit(new Tensor([3f, 4f], 1, 2), new Tensor([0f], 1, 1), epochs: 1, verbose: 0);
        var weights = model.GetWeights();
        return (weights[0].Data.ToArray(), weights[1].Data[0]);
    }
}
