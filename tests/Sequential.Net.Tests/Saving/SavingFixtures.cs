using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Saving;

/// <summary>Small models, data and comparisons shared by the saving tests.</summary>
internal static class SavingFixtures
{
    /// <summary>An MLP with Dropout, compiled with Adam and accuracy: what the resume test needs.</summary>
    public static Sequential DropoutMlp(int inputs = 6, int hidden = 16, int classes = 3)
    {
        var model = new Sequential(
            new Dense(hidden, activation: "relu", inputShape: [inputs]),
            new Dropout(0.3),
            new Dense(hidden, activation: Activations.LeakyRelu(0.2f)),
            new Dense(classes, activation: "softmax"));
        model.Compile(optimizer: new Adam(learningRate: 0.01), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        return model;
    }

    public static (Tensor X, Tensor Y) Data(int rows = 90, int inputs = 6, int classes = 3, int seed = 11)
    {
        var r = new Random(seed);
        var x = new float[rows * inputs];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            y[i] = r.Next(classes);
            for (int j = 0; j < inputs; j++) x[i * inputs + j] = (float)(r.NextDouble() * 2 - 1) + (j % classes == (int)y[i] ? 0.8f : 0f);
        }
        return (new Tensor(x, rows, inputs), new Tensor(y, rows));
    }

    /// <summary>A fresh folder under the test's work directory, removed by the caller's TearDown.</summary>
    public static string NewFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "sequential-net-saving-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Bitwise equality of two float arrays, with the first difference in the message.</summary>
    public static void AssertBitwise(float[] expected, float[] actual, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} differs: expected {expected[i]:R}, received {actual[i]:R}.");
        }
    }

    /// <summary>The complete saved state of a model: config JSON, weights, optimizer slots, iterations, seed.</summary>
    public static (string Config, float[][] Weights, float[][] Slots, long Iterations, ulong Seed) Snapshot(Model model)
    {
        var contents = SequentialNet.Saving.ModelSaver.Capture(model, weightsOnly: false);
        var opt = contents.Optimizer;
        return (SequentialNet.Saving.Json.Compact(contents.Config!),
            contents.Weights.Select(w => (float[])w.Data.Clone()).ToArray(),
            opt?.Slots.Select(s => s.Data).ToArray() ?? [],
            opt?.Iterations ?? -1, opt?.Seed ?? 0);
    }

    public static void AssertSameModel(Model expected, Model actual)
    {
        var (a, b) = (Snapshot(expected), Snapshot(actual));
        Assert.That(b.Config, Is.EqualTo(a.Config), "config");
        Assert.That(b.Weights, Has.Length.EqualTo(a.Weights.Length), "weight count");
        for (int i = 0; i < a.Weights.Length; i++) AssertBitwise(a.Weights[i], b.Weights[i], $"weight {i}");
        Assert.That(b.Slots, Has.Length.EqualTo(a.Slots.Length), "slot count");
        for (int i = 0; i < a.Slots.Length; i++) AssertBitwise(a.Slots[i], b.Slots[i], $"slot {i}");
        Assert.That(b.Iterations, Is.EqualTo(a.Iterations), "iterations");
        Assert.That(b.Seed, Is.EqualTo(a.Seed), "seed");
    }
}
