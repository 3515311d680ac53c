using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// Fit's data and recorded steps stay on the device across Fit calls on the same data (Runtime/ResidentData.cs):
/// a second Fit uploads nothing and records nothing (a Predict in between does not drop them), and data changed
/// in place is noticed (its hash moved), uploaded again and trained on, as the CPU backend trains on it.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedResidentDataTests
{
    private const int Rows = 96, Features = 5;

    private static Sequential NewModel(string device)
    {
        Utils.SetRandomSeed(8);
        var model = new Sequential(new Dense(10, activation: "relu", inputShape: [Features]), new Dense(3, activation: "softmax"));
        model.Compile(optimizer: new Adam(), loss: "sparse_categorical_crossentropy", device: device);
        return model;
    }

    private static (Tensor X, Tensor Y) Data()
    {
        var random = new Random(4);
        var x = new Tensor(Enumerable.Range(0, Rows * Features).Select(_ => (float)random.NextDouble()).ToArray(), Rows, Features);
        return (x, Tensor.FromLabels(Enumerable.Range(0, Rows).Select(i => i % 3).ToArray()));
    }

    private static void ShiftFirstFeature(Tensor x)
    {
        for (int r = 0; r < Rows; r++) x.Data[r * Features] += 3f;
    }

    /// <summary>Fit, Predict, Fit, change x in place, Fit; the weights after it, and the device's counters after each call.</summary>
    private static float[] Run(string device, bool change, Func<(int Uploads, int Recorded)>? counters, List<(int Uploads, int Recorded)> seen)
    {
        var (x, y) = Data();
        using var model = NewModel(device);
        void Note() { if (counters != null) seen.Add(counters()); }
        model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, validationSplit: 0.25);
        Note();
        model.Predict(x, batchSize: 16);
        model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, validationSplit: 0.25);
        Note();
        if (change) ShiftFirstFeature(x);
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0, validationSplit: 0.25);
        Note();
        return [.. model.GetWeights().SelectMany(w => w.Data)];
    }

    [Test]
    public void SecondFitOnTheSameDataUploadsAndRecordsNothing_ChangedDataIsUploadedAgain()
    {
        RequireEmulator();
        var counts = new List<(int Uploads, int Recorded)>();
        EmulatedDevice? device = null;
        float[] actual = [];
        OnEmulatedCuda(() => actual = Run("cuda", change: true, () => (device!.AsyncUploads, device.CaptureCounts.Recorded), counts), d => device = d);

        Assert.That(counts[0].Recorded, Is.GreaterThan(0), "the first Fit recorded its steps");
        Assert.That(counts[1].Uploads - counts[0].Uploads, Is.EqualTo(1), "the second Fit (after a Predict) uploaded nothing; the Predict uploaded its x once");
        Assert.That(counts[1].Recorded - counts[0].Recorded, Is.EqualTo(1), "the second Fit recorded nothing (the Predict recorded its own step)");
        Assert.That(counts[2].Uploads - counts[1].Uploads, Is.EqualTo(1), "x changed in place: uploaded again (y was not)");
        Assert.That(counts[2].Recorded - counts[1].Recorded, Is.GreaterThan(0), "steps recorded again over the new x");

        var expected = Run("cpu", change: true, null, []);
        var stale = Run("cpu", change: false, null, []);
        double tolerance(float e) => 1e-5 + 1e-4 * Math.Abs(e);
        Assert.That(Enumerable.Range(0, expected.Length).Any(i => Math.Abs(stale[i] - expected[i]) > 100 * tolerance(expected[i])),
            "training on the old x would give other weights, so this test sees stale data");
        for (int i = 0; i < expected.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(tolerance(expected[i])), $"weight {i}");
    }
}
