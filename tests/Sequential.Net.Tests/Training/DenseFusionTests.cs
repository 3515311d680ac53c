using SequentialNet.Layers;

namespace SequentialNet.Tests.Training;

/// <summary>
/// Dense layers lower to one fused op: with the activation when its gradient can be read at the output
/// (linear, relu, leaky relu with slope ≥ 0), else with the bias only and the activation's own op after it.
/// </summary>
[TestFixture]
public class DenseFusionTests
{
    private static List<string> TrainOps(params Layer[] layers)
    {
        var model = new Sequential(layers);
        model.Compile(optimizer: "adam", loss: "mse", device: "cpu");
        model.Fit(TestData.Random(4, 6, 1), TestData.Random(4, 3, 2), epochs: 1, batchSize: 4, verbose: 0);
        return model.CompiledForTests!.Graphs.Train.Builder.Nodes.Select(n => n.Op.Name).ToList();
    }

    [Test]
    public void FusableActivations_BecomeOneOp()
    {
        var ops = TrainOps(new Dense(5, activation: "relu", inputShape: [6]), new Dense(4, activation: Activations.LeakyRelu(0.2f)), new Dense(3));
        Assert.That(ops, Does.Contain("dense_relu"));
        Assert.That(ops, Does.Contain("dense_leaky_relu"));
        Assert.That(ops, Does.Contain("dense_identity"));
        Assert.That(ops, Has.None.EqualTo("bias_add"));
        Assert.That(ops, Has.None.EqualTo("relu"));
    }

    [Test]
    public void OtherActivations_FuseTheBiasOnly_AndNoBiasStaysAMatMul()
    {
        var ops = TrainOps(new Dense(5, activation: "tanh", inputShape: [6]), new Dense(3, activation: "sigmoid", useBias: false));
        Assert.That(ops, Does.Contain("dense_identity"));
        Assert.That(ops, Does.Contain("tanh"));
        Assert.That(ops, Does.Contain("sigmoid"));
        Assert.That(ops, Does.Contain("matmul"));
        Assert.That(ops, Has.None.EqualTo("bias_add"));
    }
}
