using SequentialNet.Graph;

namespace SequentialNet.Tests.Graph;

/// <summary>
/// A convolution whose kernel and bias both train gets both gradients from one pass over dy
/// (conv2d_filter_bias_grad, read through two aliases) instead of conv2d_filter_grad plus sum_rows; with only
/// one of them trainable the separate op remains. The values are checked by the op-case table (float64
/// reference, gradient checks, emulated CUDA parity), whose conv cases with a bias take this path.
/// </summary>
public class ConvBiasGradientTests
{
    [TestCase("conv2d_valid_relu")]
    [TestCase("conv2d_same_dilated")]
    [TestCase("conv2d_small_patch_first_layer")]
    public void KernelAndBiasGradientsComeFromOneOp(string caseName)
    {
        var b = OpCases.All().Single(c => c.Name == caseName).Build(seed: 1);
        var live = ExecutionPlan.LiveOrder(b.Graph.Nodes, [.. b.Grads.OfType<Node>()]).Select(n => n.Op.Name).ToList();
        Assert.That(live.Count(n => n == "conv2d_filter_bias_grad"), Is.EqualTo(1));
        Assert.That(live, Has.None.EqualTo("sum_rows").And.None.EqualTo("conv2d_filter_grad"));
        Assert.That(b.Grads[1]!.Shape, Is.EqualTo(b.Inputs[1].Shape), "kernel gradient shape");
        Assert.That(b.Grads[2]!.Shape, Is.EqualTo(b.Inputs[2].Shape), "bias gradient shape");
    }

    [Test]
    public void AFrozenBiasKeepsTheKernelOnlyOp()
    {
        var opCase = OpCases.All().Single(c => c.Name == "conv2d_valid_relu");
        var frozenBias = new OpCase("frozen_bias", [.. opCase.Shapes], opCase.Emit, differentiable: [true, true, false]);
        var b = frozenBias.Build(seed: 1);
        var live = ExecutionPlan.LiveOrder(b.Graph.Nodes, [.. b.Grads.OfType<Node>()]).Select(n => n.Op.Name).ToList();
        Assert.That(live, Does.Contain("conv2d_filter_grad").And.No.Contain("conv2d_filter_bias_grad"));
    }
}
