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
        // Schedules: 6 steps per epoch, so the resume at step 12 lands inside the schedules' changes.
        yield return new TestCaseData(new Func<Optimizer>(() => new SGD(new ExponentialDecay(0.1, 5, 0.7, staircase: true), momentum: 0.9))).SetName("SGD exponential decay staircase");
        yield return new TestCaseData(new Func<Optimizer>(() => new Adam(new CosineDecay(0.0, 10, alpha: 0.1, warmupTarget: 0.02, warmupSteps: 8)))).SetName("Adam cosine decay with warmup");
        yield return new TestCaseData(new Func<Optimizer>(() => new RMSprop(new PiecewiseConstantDecay([5, 12, 14], [0.01, 0.005, 0.02, 0.001]), weightDecay: 0.01))).SetName("RMSprop piecewise constant wd");
        yield return new TestCaseData(new Func<Optimizer>(() => new AdamW(new InverseTimeDecay(0.01, 4, 0.5), clipNorm: 0.5))).SetName("AdamW inverse time decay");
        yield return new TestCaseData(new Func<Optimizer>(() => new Adagrad(new CosineDecay(0.05, 30)))).SetName("Adagrad cosine decay");
        // Nadam's u_product lives in the device hyper-parameters and is saved with the slots.
        yield return new TestCaseData(new Func<Optimizer>(() => new Nadam(0.01, weightDecay: 0.01))).SetName("Nadam wd");
        yield return new TestCaseData(new Func<Optimizer>(() => new Nadam(new PiecewiseConstantDecay([8], [0.01, 0.003]), clipValue: 0.5))).SetName("Nadam piecewise constant clipvalue");
        // amsgrad's third slot (velocity_hat) and Ftrl's accumulator (non-zero start) and linear slots.
        yield return new TestCaseData(new Func<Optimizer>(() => new Adam(0.01, amsgrad: true, clipNorm: 0.5))).SetName("Adam amsgrad clipnorm");
        yield return new TestCaseData(new Func<Optimizer>(() => new AdamW(new ExponentialDecay(0.01, 5, 0.7), weightDecay: 0.05, amsgrad: true))).SetName("AdamW amsgrad exponential decay");
        yield return new TestCaseData(new Func<Optimizer>(() => new Ftrl(0.05, -0.2, 0.4, 0.001, 0.15, 0.01, 0.3, weightDecay: 0.01))).SetName("Ftrl all strengths wd");
        yield return new TestCaseData(new Func<Optimizer>(() => new Ftrl(new PiecewiseConstantDecay([8], [0.05, 0.02]), clipValue: 0.5))).SetName("Ftrl piecewise constant clipvalue");
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
        Assert.That(Json(resumed.Optimizer.GetConfig()), Is.EqualTo(Json(expected.GetConfig())));
        Assert.That(resumed.Optimizer.Schedule?.GetType(), Is.EqualTo(expected.Schedule?.GetType()));
        var rest = resumed.Fit(x, y, epochs: 4, initialEpoch: 2, batchSize: 16, verbose: 0)["loss"];
        Assert.That(rest.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(full.Skip(2).Select(BitConverter.DoubleToInt64Bits)));
    }

    private static string Json(Dictionary<string, object?> config) => Newtonsoft.Json.JsonConvert.SerializeObject(config);
}
