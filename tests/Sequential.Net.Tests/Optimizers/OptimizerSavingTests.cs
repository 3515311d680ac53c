using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Optimizers;

/// <summary>
/// The new optimizers and the common arguments survive Save/Load, and a resumed run continues bitwise
/// (slots, Adagrad's non-zero accumulator start, iterations).
/// </summary>
public class OptimizerSavingTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = NewFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private static IEnumerable<TestCaseData> Optimizers()
    {
        yield return new TestCaseData(new Func<Optimizer>(() => new RMSprop(0.01, rho: 0.8, momentum: 0.5, centered: true, weightDecay: 0.01))).SetName("RMSprop centered momentum wd");
        yield return new TestCaseData(new Func<Optimizer>(() => new RMSprop(clipValue: 0.3))).SetName("RMSprop clipvalue");
        yield return new TestCaseData(new Func<Optimizer>(() => new AdamW(0.01, weightDecay: 0.1, clipNorm: 0.5))).SetName("AdamW clipnorm");
        yield return new TestCaseData(new Func<Optimizer>(() => new Adagrad(0.05, initialAccumulatorValue: 0.3, globalClipNorm: 1))).SetName("Adagrad global clipnorm");
        yield return new TestCaseData(new Func<Optimizer>(() => new SGD(0.05, momentum: 0.9, weightDecay: 0.02))).SetName("SGD momentum wd");
    }

    private static Sequential Mlp(Optimizer optimizer)
    {
        var model = new Sequential(new Dense(8, activation: "relu", inputShape: [6]), new Dense(3, activation: "softmax"));
        model.Compile(optimizer: optimizer, loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        return model;
    }

    [TestCaseSource(nameof(Optimizers))]
    public void ConfigRoundTripsAndResumeIsBitwise(Func<Optimizer> make)
    {
        var (x, y) = Data();
        Utils.SetRandomSeed(7);
        List<double> full;
        using (var model = Mlp(make())) full = [.. model.Fit(x, y, epochs: 4, batchSize: 16, verbose: 0)["loss"]];

        Utils.SetRandomSeed(7);
        string path = Path.Combine(_folder, "m.snet");
        var expected = make();
        using (var model = Mlp(expected))
        {
            model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);
            model.Save(path);
        }
        using var resumed = Model.Load(path);
        Assert.That(resumed.Optimizer!.GetType(), Is.EqualTo(expected.GetType()));
        Assert.That(resumed.Optimizer.GetConfig(), Is.EquivalentTo(expected.GetConfig()));
        var rest = resumed.Fit(x, y, epochs: 4, initialEpoch: 2, batchSize: 16, verbose: 0)["loss"];
        Assert.That(rest.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(full.Skip(2).Select(BitConverter.DoubleToInt64Bits)));
    }
}
