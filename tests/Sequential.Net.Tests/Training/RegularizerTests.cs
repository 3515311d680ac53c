using SequentialNet.Optimizers;
using SequentialNet.Regularizers;

namespace SequentialNet.Tests.Training;

/// <summary>Dense kernel/bias regularizers: Keras formulas, the reported loss, the gradient, the round trip.</summary>
public class RegularizerTests
{
    private static readonly Tensor X = new(new float[] { 1, 2, -1, 0.5f, 3, -2 }, 3, 2);
    private static readonly Tensor Y = new(new float[] { 1, -1, 0.5f }, 3, 1);
    private static readonly float[] W = [0.5f, -1f];

    private static Sequential Linear(Regularizer regularizer, double lr)
    {
        var model = new Sequential(new SequentialNet.Layers.Dense(1, useBias: false, inputShape: [2], kernelRegularizer: regularizer));
        model.Compile(optimizer: new SGD(lr), loss: "mse");
        model.SetWeights([new Tensor((float[])W.Clone(), 2, 1)]);
        return model;
    }

    /// <summary>The mse and its gradient for the kernel W, by hand.</summary>
    private static (double Loss, double[] Grad) DataLoss()
    {
        double loss = 0; var grad = new double[2];
        for (int i = 0; i < 3; i++)
        {
            double d = X[i, 0] * W[0] + X[i, 1] * W[1] - Y[i, 0];
            loss += d * d / 3;
            grad[0] += 2 * d * X[i, 0] / 3; grad[1] += 2 * d * X[i, 1] / 3;
        }
        return (loss, grad);
    }

    [Test]
    public void L2AddsPenaltyToLossAndGradient()
    {
        var model = Linear(new L2(0.1), 0.05);
        var history = model.Fit(X, Y, epochs: 1, batchSize: 3, verbose: 0, shuffle: false);
        var (loss, grad) = DataLoss();
        Assert.That(history["loss"][0], Is.EqualTo(loss + 0.1 * (0.25 + 1)).Within(1e-5));
        var w = model.GetWeights()[0].Data;
        for (int j = 0; j < 2; j++) Assert.That(w[j], Is.EqualTo(W[j] - 0.05 * (grad[j] + 2 * 0.1 * W[j])).Within(1e-6));
    }

    [Test]
    public void L1AddsPenaltyToLossAndGradient()
    {
        var model = Linear(new L1(0.2), 0.05);
        var history = model.Fit(X, Y, epochs: 1, batchSize: 3, verbose: 0, shuffle: false);
        var (loss, grad) = DataLoss();
        Assert.That(history["loss"][0], Is.EqualTo(loss + 0.2 * 1.5).Within(1e-5));
        var w = model.GetWeights()[0].Data;
        for (int j = 0; j < 2; j++) Assert.That(w[j], Is.EqualTo(W[j] - 0.05 * (grad[j] + 0.2 * Math.Sign(W[j]))).Within(1e-6));
    }

    [Test]
    public void PenaltyCountsOncePerBatchInTheReportedLoss()
    {
        var model = Linear(new L1L2(0.1, 0.1), 1e-30);   // SGD needs lr > 0: the weights stay put
        var history = model.Fit(X, Y, epochs: 1, batchSize: 2, verbose: 0, shuffle: false);
        Assert.That(history["loss"][0], Is.EqualTo(DataLoss().Loss + 0.1 * 1.5 + 0.1 * 1.25).Within(1e-5));
    }

    [Test]
    public void EvaluateAndValidationLossIncludeThePenaltyAsInKeras()
    {
        // Keras's compute_loss adds the regularization losses in test_step too.
        var model = Linear(new L2(0.1), 1e-30);   // the weights stay put
        double expected = DataLoss().Loss + 0.1 * (0.25 + 1);
        Assert.That(model.Evaluate(X, Y, batchSize: 2, verbose: 0)["loss"], Is.EqualTo(expected).Within(1e-5));
        var history = model.Fit(X, Y, epochs: 1, batchSize: 3, verbose: 0, validationData: (X, Y));
        Assert.That(history["val_loss"][0], Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void NamesAndDefaults()
    {
        Assert.That(((Regularizer)"l2").GetConfig()["l2"], Is.EqualTo(0.01));
        Assert.That(((Regularizer)"l1").GetConfig()["l1"], Is.EqualTo(0.01));
        Assert.That(new L1L2().GetConfig(), Is.EqualTo(new Dictionary<string, object?> { ["l1"] = 0.0, ["l2"] = 0.0 }));
        Assert.Throws<ArgumentException>(() => Regularizer.Get("l3"));
        Assert.Throws<ArgumentException>(() => _ = new L2(-1));
    }

    [Test]
    public void RegularizersRoundTripThroughSaveAndLoad()
    {
        string folder = Path.Combine(Path.GetTempPath(), "regularizer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var model = new Sequential(new SequentialNet.Layers.Dense(3, inputShape: [2], kernelRegularizer: new L1L2(0.25, 0.5), biasRegularizer: "l2"),
                new SequentialNet.Layers.Dense(1));
            model.Compile(optimizer: "sgd", loss: "mse");
            string path = Path.Combine(folder, "m.keras");
            model.Save(path);
            var loaded = (Sequential)SequentialNet.Model.Load(path);
            var dense = (SequentialNet.Layers.Dense)loaded.Layers[0];
            Assert.That(dense.KernelRegularizer, Is.TypeOf<L1L2>());
            Assert.That(dense.KernelRegularizer!.GetConfig(), Is.EqualTo(new Dictionary<string, object?> { ["l1"] = 0.25, ["l2"] = 0.5 }));
            Assert.That(dense.BiasRegularizer!.GetConfig(), Is.EqualTo(new Dictionary<string, object?> { ["l2"] = 0.01 }));
            Assert.That(((SequentialNet.Layers.Dense)loaded.Layers[1]).KernelRegularizer, Is.Null);
            Assert.That(loaded.Layers[0].GetConfig()["kernel_regularizer"], Is.Not.Null);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
