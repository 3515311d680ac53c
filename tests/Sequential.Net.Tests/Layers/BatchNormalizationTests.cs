using SequentialNet.Layers;
using SequentialNet.Optimizers;
using SequentialNet.Saving;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.LayerTests;

/// <summary>BatchNormalization with Keras semantics: batch statistics in training, moving ones otherwise.</summary>
public class BatchNormalizationTests
{
    private const int Features = 3;

    [SetUp]
    public void SetUp() => Utils.SetRandomSeed(5);

    private static Tensor Rows(int rows, int seed) => Training.TestData.Random(rows, Features, seed, 2f) + 0.7f;

    private static (Sequential Model, BatchNormalization Bn) BnModel(double momentum = 0.99, bool trainable = true)
    {
        var bn = new BatchNormalization(momentum: momentum, inputShape: [Features]) { Trainable = trainable };
        var model = new Sequential(bn);
        model.Compile(optimizer: new SGD(0.1), loss: "mse");
        return (model, bn);
    }

    /// <summary>Biased per-feature mean and variance of rows [from, from+count) in float64.</summary>
    private static (double[] Mean, double[] Var) Moments(Tensor x, int from, int count)
        => Normalization.Moments(x.Data.AsSpan(from * Features, count * Features), Features);

    [TestCase(0.99)]
    [TestCase(0.5)]
    public void MovingStatisticsFollowKerasAfterKnownBatches(double momentum)
    {
        var (model, bn) = BnModel(momentum);
        using var _ = model;
        var x = Rows(12, 1);
        var y = Rows(12, 2);
        model.Fit(x, y, epochs: 2, batchSize: 4, shuffle: false, verbose: 0);   // 6 steps of known batches
        double[] mean = new double[Features], variance = Enumerable.Repeat(1.0, Features).ToArray();
        for (int step = 0; step < 6; step++)
        {
            var (m, v) = Moments(x, step % 3 * 4, 4);
            for (int j = 0; j < Features; j++)
            {
                mean[j] = mean[j] * momentum + m[j] * (1 - momentum);
                variance[j] = variance[j] * momentum + v[j] * (1 - momentum);
            }
        }
        var w = model.GetWeights();
        Assert.That(bn.Weights.Select(v => v.Name), Is.EqualTo(new[] { "gamma", "beta", "moving_mean", "moving_variance" }.Select(n => $"{bn.Name}/{n}")));
        Assert.That(w[2].Data, Is.EqualTo(mean).Within(1e-5), "moving_mean");
        Assert.That(w[3].Data, Is.EqualTo(variance).Within(1e-5), "moving_variance");
    }

    [Test]
    public void PredictUsesMovingStatisticsNotTheBatchOnes()
    {
        var (model, _) = BnModel(0.5);
        using var __ = model;
        var x = Rows(8, 3);
        model.Fit(x, Rows(8, 4), epochs: 3, batchSize: 8, verbose: 0);
        var w = model.GetWeights();
        float[] p = model.Predict(x).Data;
        var (bm, bv) = Moments(x, 0, 8);
        double maxBatchGap = 0;
        for (int i = 0; i < p.Length; i++)
        {
            int j = i % Features;
            double expected = w[0][j] * (x.Data[i] - w[2][j]) / Math.Sqrt(w[3][j] + 1e-3) + w[1][j];
            double training = w[0][j] * (x.Data[i] - bm[j]) / Math.Sqrt(bv[j] + 1e-3) + w[1][j];
            Assert.That(p[i], Is.EqualTo(expected).Within(1e-4), $"element {i}");
            maxBatchGap = Math.Max(maxBatchGap, Math.Abs(p[i] - training));
        }
        Assert.That(maxBatchGap, Is.GreaterThan(0.05), "inference output should differ from the training-mode output");
    }

    [Test]
    public void FrozenLayerRunsInInferenceModeInFitAndKeepsItsStatistics()
    {
        var (model, _) = BnModel(0.5, trainable: false);
        using var __ = model;
        var x = Rows(8, 5);
        var y = Rows(8, 6);
        var set = model.GetWeights();
        set[2] = new Tensor([0.5f, -0.25f, 1f], Features);
        set[3] = new Tensor([4f, 0.5f, 2f], Features);
        model.SetWeights(set);
        double before = model.Evaluate(x, y, verbose: 0)["loss"];
        var history = model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        Assert.That(history["loss"][0], Is.EqualTo(before).Within(1e-5), "Fit's first-step loss is the inference-mode loss");
        var after = model.GetWeights();
        for (int k = 0; k < 4; k++) Assert.That(after[k].Data, Is.EqualTo(set[k].Data), $"weight {k} stays");
    }

    /// <summary>The op names of a compiled model's train and evaluate graphs (Dense → BatchNormalization → Dense).</summary>
    private static (List<string> Train, List<string> Evaluate) GraphOps(bool trainable)
    {
        using var model = new Sequential(new Dense(4, inputShape: [Features]), new BatchNormalization { Trainable = trainable }, new Dense(2));
        model.Compile(optimizer: new SGD(0.1), loss: "mse");
        model.Fit(Rows(8, 9), Training.TestData.Random(8, 2, 10), epochs: 1, batchSize: 4, verbose: 0);
        var graphs = model.CompiledForTests!.Graphs;
        return (graphs.Train.Builder.Nodes.Select(n => n.Op.Name).ToList(), graphs.Evaluate.Builder.Nodes.Select(n => n.Op.Name).ToList());
    }

    private static readonly string[] OldChain = ["divide_by_rows", "sqrt", "square", "sub_row", "div_row", "mul_row"];

    [Test]
    public void TrainingGraphRunsTheFusedOpsNotTheGenericChain()
    {
        var (train, evaluate) = GraphOps(trainable: true);
        foreach (string op in new[] { "batch_norm_stats", "batch_norm_train", "batch_norm_grad_sums", "batch_norm_grad_input" })
            Assert.That(train.Count(n => n == op), Is.EqualTo(1), $"train graph: one {op} ({string.Join(", ", train)})");
        Assert.That(train, Has.None.AnyOf(OldChain), "train graph");
        Assert.That(train.Count(n => n.StartsWith("assign[")), Is.EqualTo(2), "moving mean and variance are assigned on the device");
        Assert.That(evaluate.Count(n => n == "batch_norm"), Is.EqualTo(1), "evaluate graph: the fused normalize with the moving statistics");
        Assert.That(evaluate, Has.None.AnyOf(["batch_norm_stats", "batch_norm_train", .. OldChain]), "evaluate graph");
    }

    [Test]
    public void FrozenLayerTrainsThroughTheInferenceOpAndAssignsNothing()
    {
        var (train, _) = GraphOps(trainable: false);
        Assert.That(train, Does.Contain("batch_norm").And.Contain("batch_norm_grad_input"), string.Join(", ", train));
        Assert.That(train, Has.None.AnyOf(["batch_norm_stats", "batch_norm_train", "batch_norm_grad_sums", .. OldChain]));
        Assert.That(train.Where(n => n.StartsWith("assign[")), Is.Empty, "a frozen layer keeps its moving statistics");
    }

    [Test]
    public void SaveAndLoadKeepAllFourWeightsAndPredictions()
    {
        string folder = NewFolder();
        try
        {
            using var model = new Sequential(new Dense(5, activation: "relu", inputShape: [Features]),
                new BatchNormalization(momentum: 0.9, epsilon: 1e-2, center: true, scale: true), new Dense(2));
            model.Compile(optimizer: new Adam(0.01), loss: "mse");
            var x = Rows(16, 7);
            model.Fit(x, Training.TestData.Random(16, 2, 8), epochs: 2, batchSize: 4, verbose: 0);
            string path = Path.Combine(folder, "bn.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            AssertSameModel(model, loaded);
            Assert.That(loaded.Layers[1], Is.TypeOf<BatchNormalization>());
            Assert.That(loaded.Layers[1].Weights, Has.Count.EqualTo(4));
            AssertBitwise(model.Predict(x).Data, loaded.Predict(x).Data, "predictions");
            Assert.That(LayerRegistry.BuiltInNames, Does.Contain("BatchNormalization"));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Test]
    public void WithoutCenterAndScaleOnlyMovingStatisticsExist()
    {
        var bn = new BatchNormalization(center: false, scale: false, inputShape: [Features]);
        using var model = new Sequential(bn);
        model.Build([Features]);
        Assert.That(bn.Weights.Select(w => w.Name), Is.EqualTo(new[] { $"{bn.Name}/moving_mean", $"{bn.Name}/moving_variance" }));
        Assert.That(bn.TrainableWeights, Is.Empty);
    }

    [TestCase(-0.1, 1e-3, -1, "momentum")]
    [TestCase(1.0, 1e-3, -1, "momentum")]
    [TestCase(double.NaN, 1e-3, -1, "momentum")]
    [TestCase(0.99, 0.0, -1, "epsilon")]
    [TestCase(0.99, -1e-3, -1, "epsilon")]
    [TestCase(0.99, 1e-3, 1, "axis")]
    [TestCase(0.99, 1e-3, 0, "axis")]
    public void BadArgumentsThrowKerasStyleErrors(double momentum, double epsilon, int axis, string parameter)
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new BatchNormalization(axis, momentum, epsilon))!;
        Assert.That(e.ParamName, Is.EqualTo(parameter));
        Assert.That(e.Message, Does.Contain("BatchNormalization").And.Contain("Received"));
    }
}

/// <summary>End to end: BatchNormalization lets the seed MLP train faster at a higher learning rate.</summary>
public class BatchNormalizationEndToEndTests
{
    private static double DigitsAccuracy(bool batchNorm, double learningRate, int epochs)
    {
        Utils.SetRandomSeed(7);
        var ((xTrain, yTrain), (xTest, yTest)) = SequentialNet.Datasets.Digits.LoadData();
        xTrain = xTrain.Reshape(-1, 64) / 16f; xTest = xTest.Reshape(-1, 64) / 16f;
        var layers = new List<Layer> { batchNorm ? new Dense(128, inputShape: [64]) : new Dense(128, activation: "relu", inputShape: [64]) };
        if (batchNorm) layers.AddRange([new BatchNormalization(), new Activation("relu")]);
        layers.AddRange([new Dropout(0.2), new Dense(10, activation: "softmax")]);
        using var model = new Sequential(layers, null);
        model.Compile(optimizer: new Adam(learningRate: learningRate), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        model.Fit(xTrain, yTrain, epochs: epochs, batchSize: 32, verbose: 0);
        return model.Evaluate(xTest, yTest, verbose: 0)["accuracy"];
    }

    [Test]
    public void SeedMlpWithBatchNormReachesThePlainAccuracyInFewerEpochsAtAHigherRate()
    {
        double plain = DigitsAccuracy(batchNorm: false, learningRate: 1e-3, epochs: 30);
        double withBn = DigitsAccuracy(batchNorm: true, learningRate: 1e-2, epochs: 10);
        TestContext.Out.WriteLine($"Digits test accuracy: plain (Adam 1e-3, 30 epochs) {plain:F4}; BatchNormalization (Adam 1e-2, 10 epochs) {withBn:F4}");
        Assert.That(withBn, Is.GreaterThanOrEqualTo(plain - 0.005));
    }
}
