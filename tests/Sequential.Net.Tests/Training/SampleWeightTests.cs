using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Tests.Training;

/// <summary>Fit's classWeight and sampleWeight: Keras 3 "sum_over_batch_size" weighting and its errors.</summary>
public class SampleWeightTests
{
    private static Sequential Model(double learningRate, string loss = "sparse_categorical_crossentropy")
    {
        Utils.SetRandomSeed(7);
        var model = new Sequential(new SequentialNet.Layers.Dense(3, activation: "softmax", inputShape: [4]));
        model.Compile(optimizer: new SGD(learningRate), loss: loss);
        return model;
    }

    private static float[] Flat(Model model) => [.. model.GetWeights().SelectMany(w => w.Data)];

    [Test]
    public void ZeroClassWeightMatchesTrainingOnTheOtherSamplesScaled()
    {
        var x = TestData.Random(12, 4, 1);
        int[] labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];
        var weighted = Model(0.3);
        weighted.Fit(x, labels, epochs: 1, batchSize: 12, verbose: 0, shuffle: false, classWeight: new Dictionary<int, double> { [2] = 0 });
        int[] keep = [.. Enumerable.Range(0, 12).Where(i => labels[i] != 2)];
        // Σ w·l / 12 over 8 kept samples = (8/12)·mean over them: the same step at lr·8/12.
        var subset = Model(0.3 * keep.Length / 12.0);
        subset.Fit(x.Gather(keep), keep.Select(i => labels[i]).ToArray(), epochs: 1, batchSize: 12, verbose: 0, shuffle: false);
        Assert.That(Flat(weighted), Is.EqualTo(Flat(subset)).Within(1e-6));
    }

    [Test]
    public void SampleWeightEqualToClassWeightTrainsIdentically()
    {
        var x = TestData.Random(40, 4, 2);
        var y = TestData.Labels(40, 3, 3);
        var classWeight = new Dictionary<int, double> { [0] = 0.5, [1] = 2.0 };
        var a = Model(0.1);
        var ha = a.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, classWeight: classWeight);
        var perSample = y.Data.Select(c => (float)classWeight.GetValueOrDefault((int)c, 1.0)).ToArray();
        var b = Model(0.1);
        var hb = b.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0, sampleWeight: new Tensor(perSample, 40));
        Assert.That(Flat(b), Is.EqualTo(Flat(a)));
        Assert.That(hb["loss"], Is.EqualTo(ha["loss"]));
    }

    [Test]
    public void ReportedLossIsTheWeightedSumOverTheBatchSize()
    {
        var x = TestData.Random(6, 4, 4);
        int[] labels = [0, 1, 2, 2, 1, 0];
        float[] w = [1f, 0f, 2f, 0.5f, 3f, 1f];
        var model = Model(0.1);
        var p = model.Predict(x, verbose: 0);
        double expected = 0;
        for (int i = 0; i < 6; i++) expected += w[i] * -Math.Log(p[i, labels[i]]);
        expected /= 6;
        var history = model.Fit(x, labels, epochs: 1, batchSize: 6, verbose: 0, sampleWeight: new Tensor(w, 6));
        Assert.That(history["loss"][0], Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void BadWeightsAreClearErrors()
    {
        var x = TestData.Random(6, 4, 4);
        int[] labels = [0, 1, 2, 2, 1, 0];
        var model = Model(0.1);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(x, labels, verbose: 0, sampleWeight: new Tensor(new float[5], 5)))!;
        Assert.That(e.ParamName, Is.EqualTo("sampleWeight"));
        e = Assert.Throws<ArgumentException>(() => model.Fit(x, labels, verbose: 0, sampleWeight: new Tensor([1, 1, -1, 1, 1, 1], 6)))!;
        Assert.That(e.Message, Does.Contain("-1"));
        Assert.Throws<ArgumentException>(() => model.Fit(x, labels, verbose: 0, sampleWeight: new Tensor([1, 1, float.NaN, 1, 1, 1], 6)));
        Assert.Throws<ArgumentException>(() => model.Fit(x, labels, verbose: 0, sampleWeight: new Tensor([1, 1, float.PositiveInfinity, 1, 1, 1], 6)));
        e = Assert.Throws<ArgumentException>(() => model.Fit(x, labels, verbose: 0, classWeight: new Dictionary<int, double> { [3] = 1 }))!;
        Assert.That(e.ParamName, Is.EqualTo("classWeight"));
        Assert.That(e.Message, Does.Contain("[0, 3)"));
        Assert.Throws<ArgumentException>(() => model.Fit(x, labels, verbose: 0, classWeight: new Dictionary<int, double> { [0] = 1 }, sampleWeight: new Tensor(new float[6], 6)));
        var regression = Model(0.1, "mse");
        e = Assert.Throws<ArgumentException>(() => regression.Fit(x, TestData.Random(6, 3, 5), verbose: 0, classWeight: new Dictionary<int, double> { [0] = 1 }))!;
        Assert.That(e.Message, Does.Contain("mean_squared_error"));
    }
}
