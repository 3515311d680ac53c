using SequentialNet.Layers;
using SequentialNet.Tests.Saving;
using SequentialNet.Tests.Training;

namespace SequentialNet.Tests.Functional;

/// <summary>
/// State belongs to its owner: the optimizer keeps its iterations and moments across Dispose and
/// re-Compile; calls from several threads never see another call's buffers; old files still load.
/// </summary>
public class ModelStateTests
{
    private static readonly Tensor X = TestData.Random(96, 8, 1);
    private static readonly Tensor Y = TestData.Labels(96, 3, 2);

    private static Sequential Mlp()
    {
        Utils.SetRandomSeed(3);
        var model = new Sequential(new Dense(12, activation: "relu", inputShape: [8]), new Dropout(0.2), new Dense(3, activation: "softmax"));
        model.Compile(optimizer: new SequentialNet.Optimizers.Adam(1e-2), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        return model;
    }

    [TestCase("dispose")]
    [TestCase("recompile")]
    public void TheOptimizerKeepsItsStateAcrossDisposeAndRecompile(string between)
    {
        using var straight = Mlp();
        straight.Fit(X, Y, epochs: 4, batchSize: 16, verbose: 0);
        using var interrupted = Mlp();
        interrupted.Fit(X, Y, epochs: 2, batchSize: 16, verbose: 0);
        long iterations = interrupted.Optimizer!.Iterations;
        if (between == "dispose") interrupted.Dispose();
        else interrupted.Compile(optimizer: interrupted.Optimizer, loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        Assert.That(interrupted.Optimizer!.Iterations, Is.EqualTo(iterations));
        interrupted.Fit(X, Y, epochs: 4, initialEpoch: 2, batchSize: 16, verbose: 0);
        Assert.That(interrupted.Optimizer.Iterations, Is.EqualTo(straight.Optimizer!.Iterations), "126 steps read as 126, not 63");
        var a = straight.GetWeights();
        var b = interrupted.GetWeights();
        for (int i = 0; i < a.Length; i++) Assert.That(b[i].Data, Is.EqualTo(a[i].Data), $"weight {i}: Adam's moments, the step count and the dropout stream continued");
    }

    [Test]
    public void ANewOptimizerObjectStartsFresh()
    {
        using var model = Mlp();
        model.Fit(X, Y, epochs: 1, batchSize: 16, verbose: 0);
        model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy");
        Assert.That(model.Optimizer!.Iterations, Is.EqualTo(0));
    }

    [Test]
    public void EightThreadsPredictingGetWhatSequentialCallsGet()
    {
        using var model = Mlp();
        model.Fit(X, Y, epochs: 1, batchSize: 16, verbose: 0);
        int[] sizes = [1, 7, 32, 96, 13];
        var expected = sizes.Select(s => model.Predict(X.Rows(0, s), batchSize: Math.Max(1, s / 2)).Data).ToArray();
        int mismatches = 0, calls = 0;
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                int k = (t + i) % sizes.Length;
                var got = model.Predict(X.Rows(0, sizes[k]), batchSize: Math.Max(1, sizes[k] / 2)).Data;
                Interlocked.Increment(ref calls);
                if (!got.AsSpan().SequenceEqual(expected[k])) Interlocked.Increment(ref mismatches);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.That(calls, Is.EqualTo(1600));
        Assert.That(mismatches, Is.EqualTo(0), "every concurrent Predict returns bitwise what a sequential one returns");
    }

    [Test]
    public void PredictDuringFitOnAnotherThreadThrowsAndNeverCorruptsTraining()
    {
        using var reference = Mlp();
        reference.Fit(X, Y, epochs: 20, batchSize: 8, verbose: 0);
        using var model = Mlp();
        int refused = 0, served = 0;
        using var done = new ManualResetEventSlim();
        using var refusedOnce = new ManualResetEventSlim();
        var caller = new Thread(() =>
        {
            while (!done.IsSet)
            {
                try { model.Predict(X.Rows(0, 4)); Interlocked.Increment(ref served); }
                catch (InvalidOperationException e) when (e.Message.Contains("Fit is running")) { Interlocked.Increment(ref refused); refusedOnce.Set(); }
            }
        });
        caller.Start();
        // Fit holds its first epoch until the other thread has been refused once (or 10 s passed), so the calls
        // overlap Fit however fast its 20 epochs are (once they did not: a short Fit ran between two calls).
        var overlap = new SequentialNet.Callbacks.LambdaCallback(onEpochBegin: (epoch, _) => { if (epoch == 0) refusedOnce.Wait(TimeSpan.FromSeconds(10)); });
        model.Fit(X, Y, epochs: 20, batchSize: 8, verbose: 0, callbacks: [overlap]);
        done.Set();
        caller.Join();
        TestContext.Out.WriteLine($"{refused} Predict calls refused during Fit, {served} served before or after it.");
        Assert.That(refused, Is.GreaterThan(0), "the other thread did call during Fit");
        var a = reference.GetWeights();
        var b = model.GetWeights();
        for (int i = 0; i < a.Length; i++) Assert.That(b[i].Data, Is.EqualTo(a[i].Data), $"weight {i}: training was not disturbed");
    }

    [Test]
    public void ModelsBuiltOnEightThreadsAtOnceGetUniqueNamesAndDistinctWeightStreams()
    {
        var models = new Model[8];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            var input = new Input([6]);
            var model = new Model(input, new Dense(4).Apply(new Dense(5, activation: "relu").Apply(input)));
            model.Compile(optimizer: "adam", loss: "mse");
            model.Predict(TestData.Random(2, 6, t));
            models[t] = model;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var names = models.SelectMany(m => m.Layers.Select(l => l.Name)).ToList();
        Assert.That(names, Is.Unique, "the name counters are shared safely");
        var kernels = models.Select(m => string.Join(",", m.Weights[0].ToTensor().Data)).ToList();
        Assert.That(kernels, Is.Unique, "each weight drew from its own random stream");
        foreach (var m in models) m.Dispose();
    }

    [Test]
    public void ACallbackMayCallTheModelOnFitsOwnThread()
    {
        using var model = Mlp();
        var seen = new List<int>();
        var callback = new SequentialNet.Callbacks.LambdaCallback(onEpochEnd: (epoch, logs) => seen.Add(model.Predict(X.Rows(0, 3)).RowCount));
        model.Fit(X, Y, epochs: 2, batchSize: 32, verbose: 0, callbacks: [callback]);
        Assert.That(seen, Is.EqualTo(new[] { 3, 3 }));
    }

    [Test]
    public void AFileWrittenByFormatVersion1StillLoadsAndPredictsTheSame()
    {
        string folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "Saving", "Data");
        using var model = Model.Load(Path.Combine(folder, "v1-sequential.snet"));
        var ((x, _), _) = SequentialNet.Datasets.Digits.LoadData();
        var predicted = model.Predict(x.Reshape(-1, 64).Rows(0, 4) / 16f);
        var expected = File.ReadAllLines(Path.Combine(folder, "v1-sequential.predict.txt"))
            .Select(l => float.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.That(predicted.Data, Is.EqualTo(expected), "bitwise the predictions of the model that wrote it");
        Assert.That(model.Optimizer!.Iterations, Is.EqualTo(long.Parse(File.ReadAllText(Path.Combine(folder, "v1-sequential.iterations.txt")), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void AFunctionalModelWithSharedAndNestedLayersSavesLoadsAndResumesExactly()
    {
        Model Build()
        {
            Utils.SetRandomSeed(9);
            var inner = new Sequential(new Dense(6, activation: "relu", inputShape: [5], name: "inner_dense"), new Dropout(0.2, name: "inner_drop"));
            var a = new Input([5], name: "a");
            var b = new Input([5], name: "b");
            var shared = new Dense(5, activation: "tanh", name: "shared");
            var left = inner.Apply(shared.Apply(a));
            var right = inner.Apply(shared.Apply(b));
            var merged = new Concatenate(name: "join").Apply(left, new Add(name: "skip").Apply(right, new Dense(6, name: "proj").Apply(b)));
            var cls = new Dense(3, activation: "softmax", name: "cls").Apply(merged);
            var reg = new Dense(1, name: "reg").Apply(merged);
            var model = new Model([a, b], [cls, reg], name: "siamese");
            model.Compile(optimizer: "adam", loss: ["sparse_categorical_crossentropy", "mse"], lossWeights: [1.0, 0.3], metrics: [["accuracy"], []]);
            return model;
        }
        var xa = TestData.Random(60, 5, 4); var xb = TestData.Random(60, 5, 5);
        var yc = TestData.Labels(60, 3, 6); var yr = TestData.Random(60, 1, 7);
        using var straight = Build();
        straight.Fit([xa, xb], [yc, yr], epochs: 4, batchSize: 8, verbose: 0);
        using var first = Build();
        first.Fit([xa, xb], [yc, yr], epochs: 2, batchSize: 8, verbose: 0);
        string path = Path.Combine(SavingFixtures.NewFolder(), "siamese.snet");
        first.Save(path);
        using var loaded = Model.Load(path);
        Assert.That(loaded.ToJson(), Is.EqualTo(first.ToJson()));
        Assert.That(loaded.PredictAll([xa, xb])[1].Data, Is.EqualTo(first.PredictAll([xa, xb])[1].Data));
        Assert.That(loaded.Weights.Count, Is.EqualTo(first.Weights.Count));
        loaded.Fit([xa, xb], [yc, yr], epochs: 4, initialEpoch: 2, batchSize: 8, verbose: 0);
        var a = straight.GetWeights();
        var b = loaded.GetWeights();
        for (int i = 0; i < a.Length; i++) Assert.That(b[i].Data, Is.EqualTo(a[i].Data), $"weight {i}: the resumed run is the uninterrupted one");
        using var fromJson = Model.FromJson(first.ToJson());
        Assert.That(fromJson.OutputNames, Is.EqualTo(new[] { "cls", "reg" }));
        Assert.That(fromJson.CountParams(), Is.EqualTo(first.CountParams()));
    }
}
