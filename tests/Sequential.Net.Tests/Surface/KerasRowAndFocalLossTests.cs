using SequentialNet.Layers;
using SequentialNet.Losses;
using SequentialNet.Optimizers;
using static SequentialNet.Tests.Saving.SavingFixtures;
using CosineSimilarity = SequentialNet.Losses.CosineSimilarity;

namespace SequentialNet.Tests.Surface;

/// <summary>
/// categorical_hinge, cosine_similarity and binary_focal_crossentropy against the values Keras's tests and
/// docstrings assert (keras/src/losses/losses_test.py, losses.py) or Keras's formula written out here in float64;
/// then through Compile/Evaluate/Fit (the backend kernels) and a save/load of their configs.
/// </summary>
public class KerasRowAndFocalLossTests
{
    private static readonly Tensor HingeTrue = new([0, 1, 0, 0], 2, 2);
    private static readonly Tensor HingePred = new([0.6f, 0.4f, 0.4f, 0.6f], 2, 2);
    // losses_test.py BinaryFocalCrossentropyTest data.
    private static readonly Tensor FocalTrue = new([1, 0, 1, 0], 2, 2);
    private static readonly Tensor FocalPred = new([0.9f, 0.8f, 0.7f, 0.2f], 2, 2);
    private static readonly Tensor FocalLogitTrue = new([1, 1, 0, 0, 1, 0], 2, 3);
    private static readonly Tensor FocalLogits = new([1.5f, -2.7f, 2.9f, -3.8f, 1.2f, -4.5f], 2, 3);

    private static double Value(Tensor t) { Assert.That(t.Data, Has.Length.EqualTo(1)); return t.Data[0]; }

    [Test]
    public void CategoricalHingeAsKeras()
    {
        Assert.That(Value(new CategoricalHinge().Call(HingeTrue, HingePred)), Is.EqualTo(1.4).Within(1e-4));
        Assert.That(Value(new CategoricalHinge(reduction: "sum").Call(HingeTrue, HingePred)), Is.EqualTo(2.8).Within(1e-4));
        Assert.That(new CategoricalHinge(reduction: "none").Call(HingeTrue, HingePred).Data, Is.EqualTo(new[] { 1.2f, 1.6f }).Within(1e-5f));
        Assert.That(LossFunctions.CategoricalHinge(HingeTrue, HingePred).Data, Is.EqualTo(new[] { 1.2f, 1.6f }).Within(1e-5f));
        Assert.That(Loss.Get("CategoricalHinge"), Is.InstanceOf<CategoricalHinge>());
    }

    [Test]
    public void CosineSimilarityAsKerasDocstring()
    {
        // losses.py cosine_similarity docstring: [-0., -0.99999994, 0.99999994].
        var t = new Tensor([0, 1, 1, 1, 1, 1], 3, 2);
        var p = new Tensor([1, 0, 1, 1, -1, -1], 3, 2);
        Assert.That(LossFunctions.CosineSimilarity(t, p).Data, Is.EqualTo(new[] { 0f, -1f, 1f }).Within(1e-6f));
        Assert.That(Value(new CosineSimilarity().Call(t, p)), Is.EqualTo(0).Within(1e-6));
        Assert.That(Loss.Get("cosine_similarity"), Is.InstanceOf<CosineSimilarity>());
        Assert.That(() => new CosineSimilarity(axis: 0), Throws.TypeOf<NotSupportedException>().With.Message.Contains("Received: axis=0"));
    }

    [Test]
    public void CosineSimilarityAsKerasFormulaWeighted()
    {
        // −Σ t·p / (‖t‖·‖p‖) per row, weighted by sample, summed over the batch / 2 (sum_over_batch_size).
        float[] t = [1, 9, 2, -5, -2, 6], p = [4, 8, 12, 8, 1, 3];
        double[] rows = new double[2];
        for (int r = 0; r < 2; r++)
        {
            double dot = 0, tt = 0, pp = 0;
            for (int j = 0; j < 3; j++) { dot += t[3 * r + j] * p[3 * r + j]; tt += t[3 * r + j] * t[3 * r + j]; pp += p[3 * r + j] * p[3 * r + j]; }
            rows[r] = -dot / Math.Sqrt(tt) / Math.Sqrt(pp);
        }
        var loss = new CosineSimilarity().Call(new Tensor(t, 2, 3), new Tensor(p, 2, 3), new Tensor([1.2f, 3.4f], 2));
        Assert.That(Value(loss), Is.EqualTo((1.2 * rows[0] + 3.4 * rows[1]) / 2).Within(1e-5));
    }

    [Test]
    public void BinaryFocalCrossentropyAsKeras()
    {
        var focal = new BinaryFocalCrossentropy(gamma: 2f);
        Assert.That(Value(focal.Call(FocalTrue, FocalPred)), Is.EqualTo(0.268).Within(1e-3));
        Assert.That(Value(focal.Call(FocalTrue, FocalPred, new Tensor([1.23f], 1))), Is.EqualTo(0.3296).Within(1e-3));
        Assert.That(Value(focal.Call(FocalTrue, FocalPred, new Tensor([1.2f, 3.4f], 2, 1))), Is.EqualTo(0.34415).Within(1e-3));
        Assert.That(new BinaryFocalCrossentropy(gamma: 2f, reduction: "none").Call(FocalTrue, FocalPred).Data, Is.EqualTo(new[] { 0.515547f, 0.020513f }).Within(1e-5f));
        var logits = new BinaryFocalCrossentropy(gamma: 3f, fromLogits: true);
        Assert.That(Value(logits.Call(FocalLogitTrue, FocalLogits)), Is.EqualTo(0.799).Within(1e-3));
        Assert.That(Value(logits.Call(FocalLogitTrue, FocalLogits, new Tensor([3.21f], 1))), Is.EqualTo(2.565).Within(1e-3));
        Assert.That(Value(logits.Call(FocalLogitTrue, FocalLogits, new Tensor([1.2f, 3.4f], 2, 1))), Is.EqualTo(0.95977).Within(1e-3));
        // losses.py docstring: [[0, 1], [0, 0]] vs [[0.6, 0.4], [0.4, 0.6]], gamma=2 → [0.330, 0.206].
        Assert.That(LossFunctions.BinaryFocalCrossentropy(HingeTrue, HingePred, gamma: 2f).Data, Is.EqualTo(new[] { 0.330f, 0.206f }).Within(1e-3f));
        var perfect = new Tensor([100, -100, -100, -100, 100, -100], 2, 3);
        Assert.That(Value(new BinaryFocalCrossentropy(fromLogits: true).Call(new Tensor([1, 0, 0, 0, 1, 0], 2, 3), perfect)), Is.EqualTo(0).Within(1e-3));
    }

    [Test]
    public void BinaryFocalCrossentropyBalancedAndSmoothedAsKerasFormula()
    {
        const double alpha = 0.35, gamma = 1.5, s = 0.2;
        double expected = 0;
        for (int i = 0; i < 6; i++)
        {
            double t = FocalLogitTrue.Data[i] * (1 - s) + 0.5 * s, p = 1 / (1 + Math.Exp(-FocalLogits.Data[i]));
            double bce = -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p));
            double pt = t * p + (1 - t) * (1 - p);
            expected += (t * alpha + (1 - t) * (1 - alpha)) * Math.Pow(1 - pt, gamma) * bce;
        }
        var loss = new BinaryFocalCrossentropy(applyClassBalancing: true, alpha: (float)alpha, gamma: (float)gamma, fromLogits: true, labelSmoothing: (float)s);
        Assert.That(Value(loss.Call(FocalLogitTrue, FocalLogits)), Is.EqualTo(expected / 6).Within(1e-5));
    }

    [Test]
    public void FocalParametersOutOfRangeAreRefused()
    {
        Assert.That(() => new BinaryFocalCrossentropy(alpha: 1.5f), Throws.ArgumentException.With.Message.Contains("Received: alpha=1.5"));
        Assert.That(() => new BinaryFocalCrossentropy(gamma: -1f), Throws.ArgumentException.With.Message.Contains("Received: gamma=-1"));
        Assert.That(() => new BinaryFocalCrossentropy(labelSmoothing: 2f), Throws.ArgumentException.With.Message.Contains("labelSmoothing"));
    }

    private static IEnumerable<TestCaseData> TrainableLosses()
    {
        yield return new TestCaseData(new CategoricalHinge(), "linear").SetName("categorical_hinge");
        yield return new TestCaseData(new CosineSimilarity(), "linear").SetName("cosine_similarity");
        yield return new TestCaseData(new BinaryFocalCrossentropy(gamma: 2f), "sigmoid").SetName("binary_focal_crossentropy");
        yield return new TestCaseData(new BinaryFocalCrossentropy(true, 0.3f, 1.5f, fromLogits: true, labelSmoothing: 0.1f), "linear").SetName("binary_focal_crossentropy logits balanced smoothed");
    }

    [TestCaseSource(nameof(TrainableLosses))]
    public void EvaluateMatchesTheLossObjectAndFitLowersIt(Loss loss, string activation)
    {
        Utils.SetRandomSeed(11);
        var random = new Random(5);
        var x = new Tensor([.. Enumerable.Range(0, 64 * 4).Select(_ => (float)(random.NextDouble() * 2 - 1))], 64, 4);
        var y = new Tensor([.. Enumerable.Range(0, 64 * 3).Select(i => x.Data[(i / 3) * 4 + i % 3] > 0 ? 1f : 0f)], 64, 3);
        using var model = new Sequential(new Dense(3, activation: activation, inputShape: [4]));
        model.Compile(new Adam(0.05), loss, device: "cpu");
        double before = model.Evaluate(x, y, verbose: 0)["loss"];
        Assert.That(before, Is.EqualTo(Value(loss.Call(y, model.Predict(x, verbose: 0)))).Within(1e-5 + 1e-5 * Math.Abs(before)));
        model.Fit(x, y, epochs: 10, batchSize: 16, verbose: 0);
        double after = model.Evaluate(x, y, verbose: 0)["loss"];
        Assert.That(after, Is.LessThan(before - 0.05 * Math.Abs(before)));
    }

    [TestCaseSource(nameof(TrainableLosses))]
    public void ConfigRoundTripsThroughSaveAndLoad(Loss loss, string activation)
    {
        string folder = NewFolder();
        try
        {
            using var model = new Sequential(new Dense(3, activation: activation, inputShape: [4]));
            model.Compile("sgd", loss);
            string path = Path.Combine(folder, "m.snet");
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(loaded.Loss!.GetType(), Is.EqualTo(loss.GetType()));
            Assert.That(loaded.Loss.GetConfig(), Is.EqualTo(loss.GetConfig()));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Test]
    public void FocalRefusesTargetsOutsideZeroOne()
    {
        using var model = new Sequential(new Dense(2, activation: "sigmoid", inputShape: [2]));
        model.Compile("sgd", new BinaryFocalCrossentropy(), device: "cpu");
        var x = new Tensor([0.1f, 0.2f, 0.3f, 0.4f], 2, 2);
        Assert.That(() => model.Fit(x, new Tensor([0, 1, 3, 0], 2, 2), verbose: 0),
            Throws.ArgumentException.With.Message.Contains("Received: 3 at index 2"));
    }
}
