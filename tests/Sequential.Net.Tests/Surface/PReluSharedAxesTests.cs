using SequentialNet.Layers;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Surface;

/// <summary>PReLU with Keras's <c>shared_axes</c>: alpha of shape (1, 1, C) shared over the leading axes of the sample.</summary>
public class PReluSharedAxesTests
{
    [Test]
    public void AppliesOneSlopePerChannelAsKeras()
    {
        var random = new Random(4);
        float[] x = [.. Enumerable.Range(0, 2 * 2 * 3 * 4).Select(_ => (float)(random.NextDouble() * 4 - 2))];
        float[] alpha = [0.1f, 0.2f, 0.3f, 0.4f];
        using var model = new Sequential(new PReLU(sharedAxes: [2, 1], inputShape: [2, 3, 4]));
        model.Build([2, 3, 4]);
        Assert.That(model.GetWeights()[0].Shape, Is.EqualTo(new[] { 1, 1, 4 }), "Keras's parameter shape");
        model.SetWeights([new Tensor(alpha, 1, 1, 4)]);
        model.Compile("sgd", "mse", device: "cpu");
        float[] y = model.Predict(new Tensor(x, 2, 2, 3, 4)).Data;
        for (int i = 0; i < x.Length; i++)
            Assert.That(y[i], Is.EqualTo(x[i] > 0 ? x[i] : alpha[i % 4] * x[i]).Within(1e-6), $"element {i}");
    }

    [Test]
    public void LearnsEachChannelsSlope()
    {
        // Targets with slope 0.2·(c + 1) on the negative side of channel c: alpha moves from 0 towards them.
        Utils.SetRandomSeed(3);
        var r = new Random(2);
        float[] x = [.. Enumerable.Range(0, 64 * 6 * 2).Select(_ => (float)(r.NextDouble() * 2 - 1))];
        float[] t = [.. x.Select((v, i) => v > 0 ? v : 0.2f * (i % 2 + 1) * v)];
        using var model = new Sequential(new PReLU(sharedAxes: [1], inputShape: [6, 2]));
        model.Compile(new SequentialNet.Optimizers.SGD(1.0), "mse", device: "cpu");
        model.Fit(new Tensor(x, 64, 6, 2), new Tensor(t, 64, 6, 2), epochs: 60, verbose: 0);
        Assert.That(model.GetWeights()[0].Data, Is.EqualTo(new[] { 0.2f, 0.4f }).Within(0.03f));
    }

    [Test]
    public void SharedAxesRoundTripAndOtherPatternsAreRefused()
    {
        string folder = NewFolder();
        try
        {
            using var model = new Sequential(new PReLU(sharedAxes: [1, 2], inputShape: [2, 3, 4]));
            model.Build([2, 3, 4]);
            string path = Path.Combine(folder, "p.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(((PReLU)loaded.Layers[^1]).SharedAxes, Is.EqualTo(new[] { 1, 2 }));
            Assert.That(loaded.GetWeights()[0].Shape, Is.EqualTo(new[] { 1, 1, 4 }));
        }
        finally { Directory.Delete(folder, recursive: true); }
        using var trailing = new Sequential(new PReLU(sharedAxes: [2], inputShape: [3, 4]));
        Assert.That(() => trailing.Build([3, 4]), Throws.TypeOf<NotSupportedException>().With.Message.Contains("Received: sharedAxes=[2]"));
    }
}
