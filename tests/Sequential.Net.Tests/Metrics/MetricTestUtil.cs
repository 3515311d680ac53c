using SequentialNet.Layers;
using SequentialNet.Metrics;

namespace SequentialNet.Tests.Metrics;

/// <summary>An identity model (linear activation) so the predictions Evaluate sees are the inputs.</summary>
internal static class MetricTestUtil
{
    public static Dictionary<string, double> EvaluateOn(float[] pred, int cols, Tensor targets, string loss, Metric metric, int batchSize)
    {
        int rows = pred.Length / cols;
        using var model = new Sequential(new Activation("linear", inputShape: [cols]));
        model.Compile(loss: loss, metrics: [metric]);
        return model.Evaluate(new Tensor(pred, rows, cols), targets, batchSize: batchSize, verbose: 0);
    }

    public static float[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
    }

    public static float[] Bits(int count, int seed, double positive = 0.4)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.NextDouble() < positive ? 1f : 0f).ToArray();
    }
}
