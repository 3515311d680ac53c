using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Tests.Training;

namespace SequentialNet.Tests.Functional;

/// <summary>Functional models end to end: several inputs and outputs, Keras's History names, Sequential equivalence, shared and nested layers.</summary>
public class FunctionalModelTests
{
    [SetUp]
    public void Seed() => Utils.SetRandomSeed(11);

    /// <summary>Digits as (N, 8, 8, 1) images, a 4-feature side input, the class and a regression target (the mean pixel).</summary>
    internal static (Tensor Image, Tensor Extra, Tensor Class, Tensor Value) TwoHeadData(int rows)
    {
        var ((x, y), _) = Digits.LoadData();
        x = x.Rows(0, rows).Reshape(-1, 8, 8, 1) / 16f;
        var extra = TestData.Random(rows, 4, 3);
        var value = new float[rows];
        for (int i = 0; i < rows; i++) value[i] = x.Data.AsSpan(i * 64, 64).ToArray().Average();
        return (x, extra, y.Rows(0, rows), new Tensor(value, rows, 1));
    }

    internal static Model TwoHeads()
    {
        var image = new Input(shape: [8, 8, 1], name: "image");
        var extra = new Input(shape: [4], name: "extra");
        var x = new Flatten().Apply(image);
        var h = new Dense(32, activation: "relu").Apply(x);
        h = new Add().Apply(h, new Dense(32).Apply(h));
        var both = new Concatenate().Apply(h, new Dense(8, activation: "relu").Apply(extra));
        var cls = new Dense(10, activation: "softmax", name: "class").Apply(both);
        var value = new Dense(1, name: "value").Apply(both);
        return new Model(inputs: [image, extra], outputs: [cls, value], name: "two_heads");
    }

    [Test]
    public void OneInputWithAListOfOutputsAndAListOfInputsWithOneOutput()
    {
        var input = new Input([4]);
        var hidden = new Dense(3).Apply(input);
        using var twoHeads = new Model(input, [new Dense(2, name: "a").Apply(hidden), new Dense(1, name: "b").Apply(hidden)]);
        Assert.That(twoHeads.Inputs, Has.Count.EqualTo(1));
        Assert.That(twoHeads.OutputNames, Is.EqualTo(new[] { "a", "b" }));
        var left = new Input([2]);
        var right = new Input([3]);
        using var joined = new Model([left, right], new Dense(1).Apply(new Concatenate().Apply(left, right)));
        Assert.That(joined.Inputs, Has.Count.EqualTo(2));
        Assert.That(joined.Outputs, Has.Count.EqualTo(1));
    }

    [Test]
    public void TwoInputsTwoOutputsTrainWithKerasHistoryNames()
    {
        var (image, extra, cls, value) = TwoHeadData(600);
        using var model = TwoHeads();
        model.Compile(optimizer: "adam",
            loss: new Dictionary<string, Loss> { ["class"] = "sparse_categorical_crossentropy", ["value"] = "mse" },
            lossWeights: new Dictionary<string, double> { ["class"] = 1.0, ["value"] = 0.5 },
            metrics: new Dictionary<string, Metric[]> { ["class"] = ["accuracy"], ["value"] = ["mae"] });
        var history = model.Fit([image, extra], [cls, value], epochs: 8, batchSize: 32, validationSplit: 0.1, verbose: 0);
        string mae = model.OutputMetrics[1][0].Name;
        Assert.That(history.Metrics.Keys, Is.EquivalentTo(new[]
        {
            "loss", "class_loss", "value_loss", "class_accuracy", $"value_{mae}",
            "val_loss", "val_class_loss", "val_value_loss", "val_class_accuracy", $"val_value_{mae}",
        }));
        Assert.That(history["class_accuracy"][^1], Is.GreaterThan(0.8), "the class head learns digits");
        Assert.That(history["loss"][^1], Is.LessThan(history["loss"][0]));
        // Keras: loss = Σ loss_weight · output loss (float32 accumulators: rtol 1e-5).
        var scores = model.Evaluate([image, extra], [cls, value], verbose: 0);
        double expected = scores["class_loss"] + 0.5 * scores["value_loss"];
        Assert.That(scores["loss"], Is.EqualTo(expected).Within(1e-5 * expected));
        var outputs = model.PredictAll([image, extra]);
        Assert.That(outputs.Select(o => Tensor.FormatShape(o.Shape)), Is.EqualTo(new[] { "(600, 10)", "(600, 1)" }));
        var byName = model.PredictAll(new Dictionary<string, Tensor> { ["extra"] = extra, ["image"] = image });
        Assert.That(byName["value"].Data, Is.EqualTo(outputs[1].Data));
        // The value head's MAE is the mean |prediction − target| (Keras's formula, in float64).
        var evaluated = model.Evaluate([image, extra], [cls, value], batchSize: 600, verbose: 0);
        double meanAbsolute = outputs[1].Data.Select((p, i) => Math.Abs((double)p - value.Data[i])).Average();
        Assert.That(evaluated[$"value_{model.OutputMetrics[1][0].Name}"], Is.EqualTo(meanAbsolute).Within(1e-5));
    }

    [Test]
    public void CallbacksMonitorAnOutputsMetricInAutoMode()
    {
        var (image, extra, cls, value) = TwoHeadData(200);
        using var model = TwoHeads();
        model.Compile(optimizer: "adam", loss: new Dictionary<string, Loss> { ["class"] = "sparse_categorical_crossentropy", ["value"] = "mse" },
            metrics: new Dictionary<string, Metric[]> { ["class"] = ["accuracy"] });
        var stop = new SequentialNet.Callbacks.EarlyStopping(monitor: "val_class_accuracy", patience: 1, restoreBestWeights: true);
        string path = Path.Combine(SequentialNet.Tests.Saving.SavingFixtures.NewFolder(), "best.snet");
        var checkpoint = new SequentialNet.Callbacks.ModelCheckpoint(path, monitor: "val_class_accuracy", saveBestOnly: true);
        var history = model.Fit([image, extra], [cls, value], epochs: 3, validationSplit: 0.2, verbose: 0, callbacks: [stop, checkpoint]);
        Assert.That(history["val_class_accuracy"], Is.Not.Empty, "accuracy is maximized (auto mode found the output's metric)");
        Assert.That(File.Exists(path));
        using var best = Model.Load(path);
        Assert.That(best.OutputNames, Is.EqualTo(new[] { "class", "value" }));
    }

    [Test]
    public void OneLossGivenOnceAppliesToEveryOutput()
    {
        var input = new Input([3]);
        var a = new Dense(2, name: "a").Apply(input);
        var b = new Dense(2, name: "b").Apply(input);
        using var model = new Model([input], [a, b]);
        model.Compile(optimizer: "sgd", loss: "mse", metrics: ["mae"]);
        var x = TestData.Random(20, 3, 1);
        var logs = model.Evaluate([x], [TestData.Random(20, 2, 2), TestData.Random(20, 2, 3)], verbose: 0);
        string mae = model.CompiledMetrics[0].Name;
        Assert.That(logs.Keys, Is.EquivalentTo(new[] { "loss", "a_loss", "b_loss", $"a_{mae}", $"b_{mae}" }));
        Assert.That(logs["loss"], Is.EqualTo(logs["a_loss"] + logs["b_loss"]).Within(1e-5 * logs["loss"]));
    }

    [Test]
    public void AnEquivalentSequentialAndFunctionalModelTrainBitwiseTheSame()
    {
        var x = TestData.Random(200, 12, 5);
        var y = TestData.Labels(200, 3, 6);
        Model Build(bool functional)
        {
            Utils.SetRandomSeed(21);
            Layer[] layers = [new Dense(16, activation: "relu"), new Dropout(0.3), new BatchNormalization(), new Dense(3, activation: "softmax")];
            if (!functional)
            {
                var sequential = new Sequential([new InputLayer([12]), .. layers], null);
                Assert.That(sequential.Weights, Has.Count.EqualTo(8), "built (weights drawn) here, as Keras builds a Sequential that starts with an Input");
                return sequential;
            }
            var input = new Input([12]);
            KerasTensor h = input;
            foreach (var layer in layers) h = layer.Apply(h);
            return new Model(input, h);
        }
        using var sequential = Build(false);
        using var functional = Build(true);
        foreach (var model in new[] { sequential, functional })
        {
            model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
            model.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0);
        }
        var a = sequential.GetWeights();
        var b = functional.GetWeights();
        for (int i = 0; i < a.Length; i++) Assert.That(b[i].Data, Is.EqualTo(a[i].Data), $"weight {i}");
        Assert.That(functional.Predict(x).Data, Is.EqualTo(sequential.Predict(x).Data));
    }

    [Test]
    public void ASharedLayerIsOneSetOfWeightsAndDropoutDrawsPerApplication()
    {
        var left = new Input([6], name: "left");
        var right = new Input([6], name: "right");
        var tower = new Dense(5, activation: "tanh", name: "tower");
        var drop = new Dropout(0.5, name: "drop");
        var l = drop.Apply(tower.Apply(left));
        var r = drop.Apply(tower.Apply(right));
        var output = new Dense(1, activation: "sigmoid").Apply(new Concatenate().Apply(l, r));
        using var model = new Model([left, right], [output]);
        Assert.That(model.Weights.Count(w => w.Name.StartsWith("tower/", StringComparison.Ordinal)), Is.EqualTo(2), "kernel and bias, once");
        Assert.That(model.Layers.Count(layer => ReferenceEquals(layer, tower)), Is.EqualTo(1));
        model.Compile(optimizer: new SequentialNet.Optimizers.SGD(0.1), loss: "binary_crossentropy");
        var xl = TestData.Random(64, 6, 1);
        var before = tower.Weights[0].ToTensor().Data;
        // Same data in both towers: identical inputs give identical tower outputs in inference, but the two
        // applications of the shared Dropout draw their own masks in training.
        model.Fit([xl, xl], [Tensor.FromLabels(Enumerable.Range(0, 64).Select(i => i % 2).ToArray()).Reshape(-1, 1)], epochs: 1, batchSize: 64, verbose: 0);
        Assert.That(tower.Weights[0].ToTensor().Data, Is.Not.EqualTo(before), "the shared tower trained");
        var compiled = model.CompiledForTests!;
        var masks = compiled.Graphs.Train.Builder.Nodes.Where(n => n.Op is SequentialNet.Graph.Ops.DropoutMaskOp).Select(n => ((SequentialNet.Graph.Ops.DropoutMaskOp)n.Op).Stream).ToArray();
        Assert.That(masks, Has.Length.EqualTo(2));
        Assert.That(masks[0], Is.Not.EqualTo(masks[1]), "each application of the shared Dropout has its own random stream");
    }

    [Test]
    public void ANestedModelSharesItsWeightsAndFreezesAsAWhole()
    {
        var ((x, y), _) = Digits.LoadData();
        x = x.Reshape(-1, 64) / 16f;
        using var features = new Sequential(new Dense(16, activation: "relu", inputShape: [64], name: "features_dense"));
        features.Compile(optimizer: "adam", loss: "mse");
        var before = features.Predict(x.Rows(0, 5));
        var input = new Input([64]);
        var head = new Dense(10, activation: "softmax").Apply(features.Apply(input));
        using var classifier = new Model(input, head);
        Assert.That(classifier.Weights, Is.EqualTo(features.Weights.Concat(classifier.GetLayer(2).Weights)));
        classifier.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy");
        classifier.Fit(x, y, epochs: 1, verbose: 0);
        Assert.That(features.Predict(x.Rows(0, 5)).Data, Is.Not.EqualTo(before.Data), "training the outer model changed the inner one, which sees it");
        features.Trainable = false;
        Assert.That(features.Layers[0].Trainable, Is.False, "Trainable on a model sets every layer inside");
        var frozen = features.Predict(x.Rows(0, 5)).Data;
        classifier.Fit(x, y, epochs: 1, verbose: 0);     // Trainable changed after Compile: the next Fit rebuilds the training graph
        Assert.That(features.Predict(x.Rows(0, 5)).Data, Is.EqualTo(frozen), "a frozen nested model does not change");
        Assert.That(classifier.TrainableWeights.Count, Is.EqualTo(2));
    }

    [Test]
    public void SequentialAddPopGetLayerAndBatchMethods()
    {
        var model = new Sequential(new Input([4]), new Dense(3, name: "first"), new Dense(2, name: "second"));
        Assert.That(model.GetLayer("second"), Is.SameAs(model.Layers[1]));
        Assert.That(model.GetLayer(0).Name, Is.EqualTo("first"));
        Assert.That(model.Pop().Name, Is.EqualTo("second"));
        model.Add(new Dense(1, name: "out"));
        Assert.That(model.OutputShape, Is.EqualTo(new[] { 1 }));
        model.Compile(optimizer: new SequentialNet.Optimizers.SGD(0.05), loss: "mse");
        var x = TestData.Random(16, 4, 8);
        var y = TestData.Random(16, 1, 9);
        var first = model.TrainOnBatch(x, y)["loss"];
        double last = first;
        for (int i = 0; i < 20; i++) last = model.TrainOnBatch(x, y)["loss"];
        Assert.That(last, Is.LessThan(first));
        Assert.That(model.Optimizer!.Iterations, Is.EqualTo(21));
        var test = model.TestOnBatch(x, y);
        var predicted = model.PredictOnBatch(x);
        double mse = predicted.Data.Select((p, i) => Math.Pow(p - (double)y.Data[i], 2)).Average();
        Assert.That(test["loss"], Is.EqualTo(mse).Within(1e-5 * mse));
        Assert.Throws<ArgumentException>(() => model.GetLayer("missing"));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetLayer(5));
    }

    [Test]
    public void MergeLayersComputeKerasFormulas()
    {
        var a = new Input([3]); var b = new Input([3]);
        Layer[] merges = [new Add(), new Subtract(), new Multiply(), new Average(), new Maximum(), new Minimum(), new Dot(), new Dot(normalize: true), new Concatenate()];
        var outputs = merges.Select(m => m.Apply(a, b)).ToArray();
        using var model = new Model([a, b], outputs);
        model.Compile(loss: "mse");
        var xa = new Tensor([1f, -2f, 3f, 0.5f, 0.5f, -1f], 2, 3);
        var xb = new Tensor([2f, -3f, -1f, 0.5f, 4f, 2f], 2, 3);
        var got = model.PredictAll([xa, xb]);
        double[] A = [.. xa.Data.Select(v => (double)v)], B = [.. xb.Data.Select(v => (double)v)];
        void Expect(int k, Func<int, double> f) { for (int i = 0; i < 6; i++) Assert.That(got[k].Data[i], Is.EqualTo(f(i)).Within(1e-6), $"{merges[k].GetType().Name}[{i}]"); }
        Expect(0, i => A[i] + B[i]); Expect(1, i => A[i] - B[i]); Expect(2, i => A[i] * B[i]); Expect(3, i => (A[i] + B[i]) / 2);
        Expect(4, i => Math.Max(A[i], B[i])); Expect(5, i => Math.Min(A[i], B[i]));
        for (int r = 0; r < 2; r++)
        {
            double dot = 0, na = 0, nb = 0;
            for (int j = 0; j < 3; j++) { dot += A[r * 3 + j] * B[r * 3 + j]; na += A[r * 3 + j] * A[r * 3 + j]; nb += B[r * 3 + j] * B[r * 3 + j]; }
            Assert.That(got[6].Data[r], Is.EqualTo(dot).Within(1e-5), "dot");
            Assert.That(got[7].Data[r], Is.EqualTo(dot / Math.Sqrt(na * nb)).Within(1e-6), "cosine (Dot normalize)");
        }
        Assert.That(got[8].Data, Is.EqualTo(new[] { 1f, -2f, 3f, 2f, -3f, -1f, 0.5f, 0.5f, -1f, 0.5f, 4f, 2f }));
        Assert.That(got[8].Shape, Is.EqualTo(new[] { 2, 6 }));
    }

    [Test]
    public void PermuteSwapsAxesAsKeras()
    {
        var input = new Input([2, 3]);
        using var model = new Model(input, new Permute([2, 1]).Apply(input));
        model.Compile(loss: "mse");
        Assert.That(model.OutputShape, Is.EqualTo(new[] { 3, 2 }));
        var x = new Tensor([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f], 2, 2, 3);
        // Keras: Permute((2, 1)) on (batch, 2, 3) gives y[b, j, i] = x[b, i, j].
        Assert.That(model.Predict(x).Data, Is.EqualTo(new[] { 1f, 4f, 2f, 5f, 3f, 6f, 7f, 10f, 8f, 11f, 9f, 12f }));
        Assert.Throws<ArgumentException>(() => new Permute([1, 3]));
        var e = Assert.Throws<ArgumentException>(() => new Permute([2, 1], name: "swap").Apply(new Input([4])))!;
        Assert.That(e.Message, Does.Contain("\"swap\"").And.Contain("(None, 4)"));
    }

    [Test]
    public void RepeatVectorAndConcatenateOnAMiddleAxis()
    {
        var input = new Input([2]);
        var repeated = new RepeatVector(3).Apply(input);
        var joined = new Concatenate(axis: 1).Apply(repeated, new Reshape([1, 2]).Apply(input));
        using var model = new Model(input, new Identity().Apply(joined));
        model.Compile(loss: "mse");
        var y = model.Predict(new Tensor([1f, 2f, 3f, 4f], 2, 2));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 4, 2 }));
        Assert.That(y.Data, Is.EqualTo(new[] { 1f, 2f, 1f, 2f, 1f, 2f, 1f, 2f, 3f, 4f, 3f, 4f, 3f, 4f, 3f, 4f }));
    }
}
