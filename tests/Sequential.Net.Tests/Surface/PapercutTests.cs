using SequentialNet.Backends.Cpu;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Surface;

/// <summary>The first-hour papercuts: each used to fail silently or with a raw .NET exception.</summary>
public class PapercutTests
{
    private static (Tensor X, Tensor Y) Regression(int rows = 40, int inputs = 4, int outputs = 2)
    {
        var r = new Random(3);
        var x = new float[rows * inputs];
        var y = new float[rows * outputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(r.NextDouble() * 2 - 1);
        for (int i = 0; i < y.Length; i++) y[i] = (float)r.NextDouble();
        return (new Tensor(x, rows, inputs), new Tensor(y, rows, outputs));
    }

    [Test]
    public void LoadWeightsBuildsAModelWhoseFirstLayerHasAnInputShape()
    {
        Utils.SetRandomSeed(1);
        string path = Path.Combine(Path.GetTempPath(), $"papercut-{Guid.NewGuid():N}.weights.snet");
        using var source = new Sequential(new Dense(3, inputShape: [4]), new Dense(2));
        source.Build([4]);
        source.SaveWeights(path);
        try
        {
            using var target = new Sequential(new Dense(3, inputShape: [4]), new Dense(2));
            target.LoadWeights(path);   // not compiled, never built: Keras builds it from the input shape
            var expected = source.GetWeights();
            var actual = target.GetWeights();
            Assert.That(actual, Has.Length.EqualTo(4));
            for (int i = 0; i < expected.Length; i++) Assert.That(actual[i].Data, Is.EqualTo(expected[i].Data));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void DenseWithAnEmptyInputShapeSaysWhy()
    {
        var model = new Sequential(new Dense(4, inputShape: []));
        var ex = Assert.Throws<ArgumentException>(() => model.Compile(optimizer: "sgd", loss: "mse"))!;
        Assert.That(ex.Message, Does.Contain("Dense").And.Contain("expected an input with at least 1 dimension").And.Contain("Received: inputShape=()"));
    }

    [Test]
    public void BinaryCrossentropyRejectsTargetsOutsideZeroOne()
    {
        using var model = new Sequential(new Dense(1, activation: "sigmoid", inputShape: [4]));
        model.Compile(optimizer: "sgd", loss: "binary_crossentropy");
        var (x, _) = Regression(outputs: 1);
        var y = new float[40];
        for (int i = 0; i < y.Length; i++) y[i] = i % 10;   // class indices 0..9, the user's mistake
        var ex = Assert.Throws<ArgumentException>(() => model.Fit(x, new Tensor(y, 40, 1), verbose: 0))!;
        Assert.That(ex.Message, Does.Contain("expected targets in [0, 1]").And.Contain("Received: 2 at index 2"));
        for (int i = 0; i < y.Length; i++) y[i] = i % 2 == 0 ? 0f : 0.75f;   // soft labels stay valid
        Assert.DoesNotThrow(() => model.Fit(x, new Tensor(y, 40, 1), verbose: 0));
    }

    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void LearningRateSetterRejectsWhatTheConstructorRejects(double value)
    {
        var adam = new Adam(1e-3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = value)!;
        Assert.That(ex.Message, Does.Contain("expected LearningRate >= 0"));
        Assert.That(adam.LearningRate, Is.EqualTo(1e-3));
        adam.LearningRate = 0;   // a schedule annealing to 0 (LearningRateScheduler) is allowed
        Assert.That(adam.LearningRate, Is.EqualTo(0));
    }

    [Test]
    public void TrainableSetAfterCompileTakesEffectAtTheNextFit()
    {
        Utils.SetRandomSeed(2);
        var first = new Dense(5, activation: "tanh", inputShape: [4]);
        var second = new Dense(2);
        using var model = new Sequential(first, second);
        model.Compile(optimizer: new Adam(0.05), loss: "mse");
        var (x, y) = Regression();
        model.Fit(x, y, epochs: 1, batchSize: 10, verbose: 0);
        Assert.That(model.Optimizer!.Iterations, Is.EqualTo(4));

        first.Trainable = false;
        var frozenBefore = first.Kernel!.ToTensor().Data;
        var headBefore = second.Kernel!.ToTensor().Data;
        model.Fit(x, y, epochs: 1, batchSize: 10, verbose: 0);
        model.GetWeights();
        Assert.That(first.Kernel!.ToTensor().Data, Is.EqualTo(frozenBefore), "the frozen layer moved");
        Assert.That(second.Kernel!.ToTensor().Data, Is.Not.EqualTo(headBefore), "the trainable layer did not train");
        Assert.That(model.Optimizer.Iterations, Is.EqualTo(8), "the step count restarted");

        first.Trainable = true;
        model.Fit(x, y, epochs: 1, batchSize: 10, verbose: 0);
        model.GetWeights();
        Assert.That(first.Kernel!.ToTensor().Data, Is.Not.EqualTo(frozenBefore), "unfreezing did not apply");
    }

    [Test]
    public void TrainableChangeKeepsAdamStateOfWeightsThatStayTrainable()
    {
        Utils.SetRandomSeed(4);
        var head = new Dense(2);
        using var model = new Sequential(new Dense(5, activation: "tanh", inputShape: [4]), head);
        model.Compile(optimizer: new Adam(0.05), loss: "mse");
        var (x, y) = Regression();
        model.Fit(x, y, epochs: 1, batchSize: 10, verbose: 0);
        var before = SlotsOf(model, head.Kernel!);
        Assert.That(before.SelectMany(s => s), Has.Some.Not.EqualTo(0f));

        model.Layers[0].Trainable = false;
        model.Predict(x);   // makes new plans for the head alone
        Assert.That(model.CompiledForTests!.Store.Trainable, Is.EqualTo(new[] { head.Kernel, head.Bias }));
        Assert.That(SlotsOf(model, head.Kernel!), Is.EqualTo(before), "Adam's m and v of the head were lost");
    }

    private static float[][] SlotsOf(Model model, Variable v)
    {
        var compiled = model.CompiledForTests!;
        return [.. compiled.Slots.Select(slot =>
        {
            var all = new float[slot.Length];
            compiled.Backend.Download(slot, all);
            return all.AsSpan(compiled.Store.OffsetOf(v), v.Length).ToArray();
        })];
    }

    [TestCase("abc")]
    [TestCase("0")]
    [TestCase("-2")]
    public void BadThreadCountWarnsOnce(string value)
    {
        var warnings = new StringWriter();
        Assert.That(CpuWorkers.ParseThreadCount(value, 3, warnings), Is.EqualTo(3));
        Assert.That(warnings.ToString(), Does.Contain($"SEQUENTIAL_NET_THREADS=\"{value}\"").And.Contain("expected a whole number >= 1"));
        Assert.That(warnings.ToString().Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase("2", 2)]
    [TestCase(null, 3)]
    [TestCase("", 3)]
    public void GoodOrMissingThreadCountIsSilent(string? value, int expected)
    {
        var warnings = new StringWriter();
        Assert.That(CpuWorkers.ParseThreadCount(value, 3, warnings), Is.EqualTo(expected));
        Assert.That(warnings.ToString(), Is.Empty);
    }

    [Test]
    public void CpuSumRowsChecksTheOutputLength()
    {
        using var backend = new CpuBackend();
        using var whole = backend.Allocate(16);
        backend.Fill(whole, 7f);
        var x = backend.View(whole, 0, 12);          // (3, 4)
        var y = backend.View(whole, 12, 2);          // 2 < 4 columns: the 2 floats after it belong to someone else
        var ex = Assert.Throws<ArgumentException>(() => backend.SumRows(x, y, 3, 4))!;
        Assert.That(ex.Message, Does.Contain("SumRows").And.Contain("y needs at least 4 elements").And.Contain("Received a buffer of 2"));
        var host = new float[16];
        backend.Download(whole, host);
        Assert.That(host, Is.All.EqualTo(7f), "a buffer was written before the check");
    }

    [Test]
    public void CpuPrimitivesCheckEveryBuffer()
    {
        using var backend = new CpuBackend();
        using var small = backend.Allocate(3);
        using var big = backend.Allocate(64);
        using var counters = backend.AllocateInt(1);
        Assert.Throws<ArgumentException>(() => backend.Gemm(false, false, 4, 4, 4, 1f, big, big, 0f, small));
        Assert.Throws<ArgumentException>(() => backend.Binary(new Backends.Add(), small, big, big));
        Assert.Throws<ArgumentException>(() => backend.Unary(new Backends.Relu(), small, big));
        Assert.Throws<ArgumentException>(() => backend.Softmax(big, small, 2, 8));
        Assert.Throws<ArgumentException>(() => backend.Loss(Backends.LossKind.MeanSquaredError, big, big, small, 8, 8, 0f));
        Assert.Throws<ArgumentException>(() => backend.Copy(big, small));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.SetCounter(counters, 5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.AccumulateSum(big, small, 3, 1f));
        Assert.Throws<ArgumentException>(() => backend.SgdStep(big, small, big, big, 0f, false));
    }
}
