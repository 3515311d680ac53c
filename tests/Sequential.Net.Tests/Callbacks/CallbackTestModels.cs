using SequentialNet.Callbacks;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Callbacks;

/// <summary>Tiny models and a driver that feeds scripted logs to a callback without training.</summary>
internal static class CallbackTestModels
{
    /// <summary>y = w·x with w = 1: on x = 1, y = 0 and MSE the loss is w² and one SGD step is w ← w·(1 − 2·lr).</summary>
    public static Sequential OneWeight(double learningRate)
    {
        var model = new Sequential(new Dense(1, useBias: false, kernelInitializer: "ones", inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: learningRate), loss: "mse");
        return model;
    }

    public static (Tensor X, Tensor Y) OneSample() => (new Tensor([1f], 1, 1), new Tensor([0f], 1, 1));

    public static Sequential Linear(params string[] metrics)
    {
        var model = new Sequential(new Dense(1, inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 0.05), loss: "mse", metrics: metrics.Select(m => (SequentialNet.Metrics.Metric)m).ToArray());
        return model;
    }

    /// <summary>
    /// Runs <paramref name="callback"/> through OnTrainBegin and one OnEpochEnd per value of
    /// <paramref name="values"/> (logged as <paramref name="monitor"/>) and returns the epoch at which it
    /// asked to stop, or null.
    /// </summary>
    public static int? Drive(Callback callback, Model model, string monitor, params double[] values)
    {
        callback.Model = model;
        model.StopTraining = false;
        callback.OnTrainBegin(new Dictionary<string, double>());
        for (int epoch = 0; epoch < values.Length; epoch++)
        {
            callback.OnEpochEnd(epoch, new Dictionary<string, double> { [monitor] = values[epoch] });
            if (model.StopTraining) return epoch;
        }
        return null;
    }
}
