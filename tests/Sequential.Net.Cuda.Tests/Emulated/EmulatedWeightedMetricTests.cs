using SequentialNet.Layers;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// Weighted and unweighted metrics of every kind through Fit (class weights, a weighted validation split) and
/// Evaluate on the emulated device with whole-step capture, against the CPU: the weights reach the metric
/// kernels in recorded steps too, and the unweighted metrics stay exact counts.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedWeightedMetricTests
{
    private static Metric[] Metrics() => ["accuracy", new TopKCategoricalAccuracy(2), new Precision(), new Recall(0.3f), new AUC(40), "mae"];

    private static (IReadOnlyDictionary<string, IReadOnlyList<double>> History, Dictionary<string, double> Scores) Run(string device, bool classWeights)
    {
        Utils.SetRandomSeed(9);
        var random = new Random(4);
        const int n = 45;
        var x = new Tensor([.. Enumerable.Range(0, n * 5).Select(_ => (float)random.NextDouble())], n, 5);
        var y = new Tensor([.. Enumerable.Range(0, n * 3).Select(i => i % 3 == i / 3 % 3 ? 1f : 0f)], n, 3);
        var w = new Tensor([.. Enumerable.Range(0, n).Select(i => i % 7 == 0 ? 0f : (float)(random.NextDouble() * 3))], n);
        using var model = new Sequential(new Dense(3, activation: "softmax", inputShape: [5]));
        model.Compile(optimizer: new SGD(0.3), loss: "categorical_crossentropy", metrics: Metrics(), weightedMetrics: Metrics(), device: device);
        var history = classWeights
            ? model.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.2, classWeight: new Dictionary<int, double> { [0] = 2.5, [2] = 0 })
            : model.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.2, sampleWeight: w);
        var scores = model.Evaluate(x, y, batchSize: 8, verbose: 0, sampleWeight: w);
        return (history.Metrics, scores);
    }

    [TestCase(false), TestCase(true)]
    public void WeightedMetricsMatchTheCpuAcrossRecordedSteps(bool classWeights)
    {
        RequireEmulator();
        var cpu = Run("cpu", classWeights);
        (IReadOnlyDictionary<string, IReadOnlyList<double>> History, Dictionary<string, double> Scores) emulated = (null!, null!);
        var used = OnEmulatedCuda(() => emulated = Run("cuda", classWeights));
        Assert.That(emulated.History.Keys, Is.EquivalentTo(cpu.History.Keys));
        Assert.That(cpu.History.Keys, Does.Contain("weighted_accuracy").And.Contain("val_weighted_auc"));
        foreach (var (key, values) in cpu.History)
            Assert.That(emulated.History[key], Is.EqualTo(values).Within(1e-3).Percent, key);   // rtol 1e-5: float rounding of GEMMs and sums
        foreach (var (key, value) in cpu.Scores)
            Assert.That(emulated.Scores[key], Is.EqualTo(value).Within(1e-3).Percent, key);
        Assert.That(cpu.Scores["weighted_accuracy"], Is.Not.EqualTo(cpu.Scores["accuracy"]), "the weights change the weighted metric");
        if (Environment.GetEnvironmentVariable("SEQUENTIAL_NET_CAPTURE") != "0")
            Assert.That(used!.CaptureCounts.Replayed, Is.GreaterThan(0), "later epochs replayed recorded steps");
    }
}
