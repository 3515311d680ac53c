using SequentialNet.Initializers;

namespace SequentialNet.Tests.Surface;

/// <summary>Keras's initializers: their defining property checked in float64, names, and seeds honoured.</summary>
public class KerasInitializerTests
{
    private static float[] Draw(Initializer init, int[] shape, ulong modelSeed = 1) => init.Generate(shape, new RandomSource(modelSeed, 3));

    [TestCase(7, 3)]
    [TestCase(3, 7)]
    [TestCase(5, 5)]
    public void OrthogonalHasOrthonormalRowsOrColumns(int rows, int cols)
    {
        var w = Draw(new Orthogonal(gain: 2.0), [rows, cols]);
        bool tall = rows >= cols;
        int n = tall ? cols : rows, len = tall ? rows : cols;
        double At(int v, int i) => tall ? w[i * cols + v] : w[v * cols + i];   // vector v, element i
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                double dot = 0;
                for (int i = 0; i < len; i++) dot += At(a, i) * At(b, i);
                Assert.That(dot, Is.EqualTo(a == b ? 4.0 : 0.0).Within(1e-5), $"<{a}, {b}>");   // gain² on the diagonal
            }
    }

    [Test]
    public void SeedsAreHonoured()
    {
        foreach (Func<int?, Initializer> make in new Func<int?, Initializer>[]
                 { s => new Orthogonal(seed: s), s => new TruncatedNormal(seed: s), s => new VarianceScaling(seed: s), s => new GlorotUniform(s), s => new HeNormal(s) })
        {
            var a = Draw(make(42), [6, 4], modelSeed: 1);
            var b = Draw(make(42), [6, 4], modelSeed: 99);
            var c = Draw(make(43), [6, 4], modelSeed: 1);
            var unseeded1 = Draw(make(null), [6, 4], modelSeed: 1);
            var unseeded99 = Draw(make(null), [6, 4], modelSeed: 99);
            Assert.That(b, Is.EqualTo(a), "a seeded initializer depends on the model seed");
            Assert.That(c, Is.Not.EqualTo(a), "the seed is ignored");
            Assert.That(unseeded99, Is.Not.EqualTo(unseeded1), "an unseeded initializer ignores the model seed");
        }
    }

    [Test]
    public void VarianceScalingUniformHasKerasLimitAndVariance()
    {
        // Keras: fan_in mode, scale 2 → limit √(3·2/fan_in), variance scale/fan_in.
        var w = Draw(new VarianceScaling(scale: 2.0, mode: "fan_in", distribution: "uniform"), [400, 300]);
        double limit = Math.Sqrt(6.0 / 400), variance = w.Select(v => (double)v * v).Average();
        Assert.That(w.Max(Math.Abs), Is.LessThanOrEqualTo(limit).And.GreaterThan(0.99 * limit));
        Assert.That(variance, Is.EqualTo(2.0 / 400).Within(0.02 * 2.0 / 400));   // 120000 draws: sampling error ~0.4%
    }

    [Test]
    public void TruncatedNormalStaysWithinTwoStddev()
    {
        var w = Draw(new TruncatedNormal(mean: 0.5, stddev: 0.1), [200, 200]);
        Assert.That(w.Min(), Is.GreaterThanOrEqualTo(0.3f - 1e-6f));
        Assert.That(w.Max(), Is.LessThanOrEqualTo(0.7f + 1e-6f));
        double mean = w.Average(v => (double)v), sd = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        Assert.That(mean, Is.EqualTo(0.5).Within(0.002));
        Assert.That(sd, Is.EqualTo(0.1 * 0.87962566103423978).Within(0.002));   // std of N(0,1) truncated at ±2
    }

    [Test]
    public void IdentityIsTheIdentity()
    {
        Assert.That(Draw(new SequentialNet.Initializers.Identity(gain: 3), [2, 3]), Is.EqualTo(new float[] { 3, 0, 0, 0, 3, 0 }));
        Assert.That(() => Draw(new SequentialNet.Initializers.Identity(), [2, 3, 4]), Throws.ArgumentException.With.Message.Contains("expected a 2-D variable"));
    }

    [Test]
    public void NamesAndBadArguments()
    {
        Assert.That(Initializer.Get("Orthogonal"), Is.TypeOf<Orthogonal>());
        Assert.That(Initializer.Get("truncated_normal"), Is.TypeOf<TruncatedNormal>());
        Assert.That(Initializer.Get("VarianceScaling"), Is.TypeOf<VarianceScaling>());
        Assert.That(Initializer.Get("identity"), Is.TypeOf<SequentialNet.Initializers.Identity>());
        Assert.That(() => new VarianceScaling(mode: "fan_sideways"), Throws.ArgumentException.With.Message.Contains("Received: mode=\"fan_sideways\""));
        Assert.That(() => new VarianceScaling(scale: 0), Throws.ArgumentException.With.Message.Contains("expected scale > 0"));
    }

    [Test]
    public void SeededInitializersSurviveSaving()
    {
        using var model = new Sequential(new SequentialNet.Layers.Dense(3, kernelInitializer: new Orthogonal(gain: 0.5, seed: 7), inputShape: [4]));
        var again = Model.FromJson(model.ToJson());
        Utils.SetRandomSeed(1);
        again.Build([4]);
        Utils.SetRandomSeed(2);   // a lost seed would show: the model seed differs
        model.Build([4]);
        Assert.That(again.GetWeights()[0].Data, Is.EqualTo(model.GetWeights()[0].Data));
    }
}
