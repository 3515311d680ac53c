using SequentialNet.Backends;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// Weighted and unweighted steps of the two modes in one Fit, on the emulated device with whole-step
/// capture (each step shape runs eagerly, is recorded, then replayed): a weighted train step must never
/// leave its weights under a replayed unweighted validation step, nor the reverse. The history must match
/// the CPU's epoch by epoch.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedWeightedValidationTests
{
    private static IReadOnlyDictionary<string, IReadOnlyList<double>> Run(string device, bool weightedValidation)
    {
        Utils.SetRandomSeed(5);
        var random = new Random(3);
        var x = new Tensor([.. Enumerable.Range(0, 40 * 4).Select(_ => (float)random.NextDouble())], 40, 4);
        var y = Tensor.FromLabels([.. Enumerable.Range(0, 40).Select(i => i % 3)]);
        var w = new Tensor([.. Enumerable.Range(0, 40).Select(_ => (float)(random.NextDouble() * 3))], 40);
        using var model = new Sequential(new Dense(3, activation: "softmax", inputShape: [4]));
        model.Compile(optimizer: new SGD(0.2), loss: "sparse_categorical_crossentropy", device: device);
        // Weighted training and unweighted validation (class weights), or unweighted training and weighted validation data.
        var history = weightedValidation
            ? model.Fit(x.Rows(0, 30), y.Rows(0, 30), epochs: 4, batchSize: 8, verbose: 0, validationData: (x.Rows(30, 10), y.Rows(30, 10)), validationSampleWeight: w.Rows(30, 10))
            : model.Fit(x, y, epochs: 4, batchSize: 8, verbose: 0, validationSplit: 0.25, classWeight: new Dictionary<int, double> { [0] = 3, [2] = 0.2 });
        return history.Metrics;
    }

    [TestCase(false), TestCase(true)]
    public void HistoryMatchesTheCpuAcrossRecordedSteps(bool weightedValidation)
    {
        RequireEmulator();
        var cpu = Run("cpu", weightedValidation);
        IReadOnlyDictionary<string, IReadOnlyList<double>> emulated = null!;
        var used = OnEmulatedCuda(() => emulated = Run("cuda", weightedValidation));
        foreach (string key in new[] { "loss", "val_loss" })
            Assert.That(emulated[key], Is.EqualTo(cpu[key]).Within(1e-3).Percent, key);   // rtol 1e-5: float rounding of the GEMMs and reductions
        if (Environment.GetEnvironmentVariable("SEQUENTIAL_NET_CAPTURE") != "0")
            Assert.That(used!.CaptureCounts.Replayed, Is.GreaterThan(0), "later epochs replayed recorded steps");
    }
}
