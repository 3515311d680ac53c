using SequentialNet.Callbacks;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Training;

/// <summary>Fit/Evaluate/Predict follow Keras 3 (see docs/keras-semantics.md).</summary>
public class KerasSemanticsTests
{
    [SetUp]
    public void Seed() => Utils.SetRandomSeed(7);

    private sealed class BatchCounter : Callback
    {
        public int Batches;
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => Batches++;
    }

    [Test]
    public void DefaultBatchIs32AndTheLastPartialBatchIsKept()
    {
        var model = new Sequential(new Dense(1, inputShape: [3]));
        model.Compile(optimizer: "sgd", loss: "mse");
        var counter = new BatchCounter();
        model.Fit(TestData.Random(100, 3, 1), TestData.Random(100, 1, 2), epochs: 2, verbose: 0, callbacks: [counter]);
        Assert.That(counter.Batches, Is.EqualTo(2 * 4));          // ceil(100/32) = 4 per epoch
        Assert.That(counter.Params["steps"], Is.EqualTo(4));
        Assert.That(model.Optimizer!.Iterations, Is.EqualTo(8));
    }

    [Test]
    public void ValidationSplitTakesTheLastFractionBeforeShuffling()
    {
        // Linear model without bias, SGD lr=1, one full-batch step on the training part: the weight
        // change is −lr·∂MSE/∂w over exactly the rows Fit trained on.
        var x = TestData.Random(50, 2, 3);
        var y = TestData.Random(50, 1, 4);
        var model = new Sequential(new Dense(1, useBias: false, kernelInitializer: "zeros", inputShape: [2]));
        model.Compile(optimizer: new SGD(learningRate: 1.0), loss: "mse");
        var history = model.Fit(x, y, epochs: 1, batchSize: 40, validationSplit: 0.2, shuffle: true, verbose: 0);
        float[] w = model.GetWeights()[0].Data;
        for (int j = 0; j < 2; j++)
        {
            double grad = 0;
            for (int i = 0; i < 40; i++) grad += 2 * (0 - y.Data[i]) * x.Data[i * 2 + j] / 40;   // rows [0, 40): w was 0
            Assert.That(w[j], Is.EqualTo(-grad).Within(1e-5), $"w[{j}]");
        }
        // The validation loss is the model's loss on the last 10 rows, with the final weights.
        var lastRows = model.Evaluate(x.Rows(40, 10), y.Rows(40, 10), verbose: 0);
        Assert.That(history["val_loss"][0], Is.EqualTo(lastRows["loss"]).Within(1e-6));
    }

    [Test]
    public void ValidationSplitThatLeavesNoSamplesIsRejected()
    {
        var model = new Sequential(new Dense(1, inputShape: [2]));
        model.Compile(optimizer: "sgd", loss: "mse");
        // Keras: split_at = floor(3·(1−0.9)) = 0 leaves nothing to train on.
        Assert.That(() => model.Fit(TestData.Random(3, 2, 1), TestData.Random(3, 1, 1), validationSplit: 0.9, verbose: 0),
            Throws.ArgumentException.With.Message.Contains("no training"));
    }

    [Test]
    public void AdamMatchesHandComputedKerasUpdates()
    {
        // One weight w, x = 1, y = 0, MSE: g = 2w. Keras: α = lr·√(1−β2^t)/(1−β1^t), ε added to √v.
        var model = new Sequential(new Dense(1, useBias: false, inputShape: [1]));
        model.Compile(optimizer: new Adam(learningRate: 0.1), loss: "mse");
        model.SetWeights([new Tensor([0.5f], 1, 1)]);
        double w = 0.5, m = 0, v = 0;
        for (int t = 1; t <= 3; t++)
        {
            double g = 2 * w;
            m += (g - m) * (1 - 0.9); v += (g * g - v) * (1 - 0.999);
            w -= 0.1 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t)) * m / (Math.Sqrt(v) + 1e-7);
        }
        model.Fit(new Tensor([1f], 1, 1), new Tensor([0f], 1, 1), epochs: 3, verbose: 0);
        Assert.That(model.GetWeights()[0].Data[0], Is.EqualTo(w).Within(1e-6));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void SgdMomentumMatchesHandComputedKerasUpdates(bool nesterov)
    {
        var model = new Sequential(new Dense(1, useBias: false, inputShape: [1]));
        model.Compile(optimizer: new SGD(learningRate: 0.1, momentum: 0.9, nesterov: nesterov), loss: "mse");
        model.SetWeights([new Tensor([0.5f], 1, 1)]);
        double w = 0.5, velocity = 0;
        for (int t = 0; t < 4; t++)
        {
            double g = 2 * w;
            velocity = 0.9 * velocity - 0.1 * g;                       // Keras: m = μm − lr·g
            w += nesterov ? 0.9 * velocity - 0.1 * g : velocity;
        }
        model.Fit(new Tensor([1f], 1, 1), new Tensor([0f], 1, 1), epochs: 4, verbose: 0);
        Assert.That(model.GetWeights()[0].Data[0], Is.EqualTo(w).Within(1e-6));
    }

    [Test]
    public void DropoutScalesKeptUnitsInTrainingAndIsIdentityInPredict()
    {
        var model = new Sequential(new Dropout(0.25, inputShape: [4000]));
        model.Compile(optimizer: "sgd", loss: "mse");
        var x = TestData.Random(2, 4000, 5);
        var predicted = model.Predict(x);
        Assert.That(predicted.Data, Is.EqualTo(x.Data));

        // Training mode: run the training graph's forward and read the dropout output.
        model.Fit(x, x, epochs: 1, batchSize: 2, shuffle: false, verbose: 0);
        var compiled = model.CompiledForTests!;
        var plan = compiled.Plan(PlanKind.Train, 2);
        var output = new float[8000];
        compiled.Backend.Download(plan.Buffers[compiled.Graphs.Train.Outputs[0]], output);
        int zeros = 0;
        for (int i = 0; i < output.Length; i++)
        {
            if (output[i] == 0) { zeros++; continue; }
            Assert.That(output[i], Is.EqualTo(x.Data[i] / 0.75f).Within(1e-6), $"element {i}");
        }
        Assert.That(zeros / 8000.0, Is.EqualTo(0.25).Within(0.03));
    }

    [Test]
    public void SameSeedGivesIdenticalTraining()
    {
        double[] Run()
        {
            Utils.SetRandomSeed(11);
            var model = new Sequential(new Dense(16, activation: "relu", inputShape: [8]), new Dropout(0.3), new Dense(3, activation: "softmax"));
            model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
            return model.Fit(TestData.Random(200, 8, 1), TestData.Labels(200, 3, 2), epochs: 3, verbose: 0)["loss"].ToArray();
        }
        Assert.That(Run(), Is.EqualTo(Run()));
    }

    [Test]
    public void AccuracyResolvesLikeKeras()
    {
        var sparse = new Sequential(new Dense(3, activation: "softmax", inputShape: [2]));
        sparse.Compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var x = TestData.Random(30, 2, 1);
        var labels = TestData.Labels(30, 3, 2);
        var scores = sparse.Evaluate(x, labels, verbose: 0);
        var predicted = sparse.Predict(x).ArgMax();
        double expected = predicted.Zip(labels.Data).Count(p => p.First == (int)p.Second) / 30.0;
        Assert.That(scores["accuracy"], Is.EqualTo(expected).Within(1e-6));

        var binary = new Sequential(new Dense(1, activation: "sigmoid", inputShape: [2]));
        binary.Compile(optimizer: "sgd", loss: "binary_crossentropy", metrics: ["accuracy"]);
        var y01 = new Tensor(labels.Data.Select(v => v > 0 ? 1f : 0f).ToArray(), 30, 1);
        var p = binary.Predict(x).Data;
        double binaryExpected = p.Zip(y01.Data).Count(t => (t.First > 0.5f) == (t.Second > 0.5f)) / 30.0;
        Assert.That(binary.Evaluate(x, y01, verbose: 0)["accuracy"], Is.EqualTo(binaryExpected).Within(1e-6));
    }

    [Test]
    public void SummaryShowsTheKerasTable()
    {
        Utils.SetRandomSeed(1);
        var model = new Sequential(new Dense(128, activation: "relu", inputShape: [784]), new Dropout(0.2), new Dense(10, activation: "softmax"));
        string text = model.SummaryText();
        Assert.That(text, Does.Contain("Layer (type)").And.Contain("Output Shape").And.Contain("Param #"));
        Assert.That(text, Does.Contain("dense (Dense)").And.Contain("(None, 128)").And.Contain("100,480"));
        Assert.That(text, Does.Contain("dense_1 (Dense)").And.Contain("1,290"));
        Assert.That(text, Does.Contain("Total params: 101,770 (397.54 KB)"));
    }
}
