using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Tests.Graph;

/// <summary>
/// ReLU followed by max pooling differentiates as one op (max_pool2d_relu_grad) instead of max_pool2d_grad then
/// relu_grad: the plan holds the fused op only, and it gives the same bits as the two ops it replaces, also where
/// windows tie at 0 (all of a window's ReLU outputs clipped) and where windows overlap.
/// </summary>
public class ReluPoolFusionTests
{
    [TestCase("conv2d_relu_max_pool_tiled")]
    [TestCase("conv2d_relu_max_pool_border")]
    [TestCase("relu_max_pool_overlapping")]
    public void TheTrainingGradientRunsTheFusedOpOnly(string caseName)
    {
        var b = OpCases.All().Single(c => c.Name == caseName).Build(seed: 3);
        var live = ExecutionPlan.LiveOrder(b.Graph.Nodes, [.. b.Grads.OfType<Node>()]).Select(n => n.Op.Name).ToList();
        Assert.That(live, Does.Contain("max_pool2d_relu_grad"));
        Assert.That(live, Has.None.EqualTo("relu_grad").And.None.EqualTo("max_pool2d_grad"));
    }

    [Test]
    public void ReluBeforeAnotherConsumerKeepsItsOwnGradient()
    {
        // y = relu(x) read by the pooling and by a second op: y's gradient is a sum, not the pooling's alone.
        var g = new GraphBuilder();
        Node x = g.Parameter([1, 4, 4, 3], "x", trainable: true);
        Node y = g.Unary(new Relu(), x);
        Node pooled = Pool2DOp.Emit(g, PoolKind.Max, new ConvSpec(2, 2, 2, 2, 1, 1, "valid"), y);
        Node loss = g.AddN(g.Add(new SumAllOp(mean: false), [pooled], [], false), g.Add(new SumAllOp(mean: false), [y], [], false));
        Node? dx = Autodiff.Gradients(g, loss, [x])[0];
        var live = ExecutionPlan.LiveOrder(g.Nodes, [dx!]).Select(n => n.Op.Name).ToList();
        Assert.That(live, Does.Contain("relu_grad").And.Contain("max_pool2d_grad").And.No.Contain("max_pool2d_relu_grad"));
    }

    [TestCase(2, 2, "valid", 6, 6, 9)]   // windows tile the image; channels past the 8-lane vectors
    [TestCase(2, 2, "valid", 7, 5, 3)]   // an uncovered border row and column
    [TestCase(3, 2, "same", 5, 6, 11)]   // overlapping windows: dx cells sum several windows
    [TestCase(2, 3, "valid", 7, 7, 8)]   // gaps between windows
    public void FusedOpHasTheBitsOfPoolGradThenReluGrad(int pool, int stride, string padding, int h, int w, int c)
    {
        var g = new GraphBuilder();
        var spec = new ConvSpec(pool, pool, stride, stride, 1, 1, padding);
        Node x = g.Parameter([2, h, w, c], "x", trainable: false);
        Node y = g.Unary(new Relu(), x);
        Node pooled = Pool2DOp.Emit(g, PoolKind.Max, spec, y);
        Node dp = g.Parameter(pooled.Shape, "dp", trainable: false);
        Node poolGrad = g.Add(new Pool2DGradOp(PoolKind.Max, spec), [y, dp], y.Shape, y.Batched);
        Node unfused = g.UnaryGrad(new Relu(), x, y, poolGrad);
        Node fused = g.Add(new Pool2DGradOp(PoolKind.MaxAfterRelu, spec), [y, dp], y.Shape, y.Batched);

        // Mostly negative x: many windows are all zeros after ReLU (ties at 0, where the derivative is 0).
        var random = new Random(5);
        var feeds = new Dictionary<Node, double[]>
        {
            [x] = [.. Enumerable.Range(0, x.Size(1)).Select(_ => random.NextDouble() * 2 - 1.5)],
            [dp] = [.. Enumerable.Range(0, dp.Size(1)).Select(_ => random.NextDouble() * 2 - 1)],
        };
        var built = new OpCase.Built(g, [x, dp], [], pooled, pooled, [], feeds);
        var result = BackendRunner.Run(new CpuBackend(), built, seed: 1, rngStep: 0);
        Assert.That(result[fused], Is.EqualTo(result[unfused]));
        Assert.That(result[fused].Count(v => v != 0), Is.GreaterThan(0), "some gradient must pass");
        Assert.That(Enumerable.Range(0, fused.Size(1)).Any(i => result[poolGrad][i] != 0 && result[fused][i] == 0), Is.True,
            "some window must be all clipped (its maximum 0), so ReLU's derivative stops its gradient");
    }
}

/// <summary>
/// The Keras tutorial CNN's first layer (Conv2D(32, 3, relu) on the input, then MaxPooling2D(2)) trains and predicts
/// through conv2d_relu_max_pool2d, its (26, 26, 32) output never materialized; the second convolution (its input
/// needs a gradient) keeps the separate ops. A branch reading the convolution's output keeps the convolution.
/// </summary>
public class ConvPoolFusionPlanTests
{
    private static Sequential TutorialCnn() => new(
        new SequentialNet.Layers.Conv2D(32, 3, activation: "relu", inputShape: [28, 28, 1]),
        new SequentialNet.Layers.MaxPooling2D(2),
        new SequentialNet.Layers.Conv2D(64, 3, activation: "relu"),
        new SequentialNet.Layers.MaxPooling2D(2),
        new SequentialNet.Layers.Flatten(),
        new SequentialNet.Layers.Dense(10, activation: "softmax"));

    [Test]
    public void TheTutorialCnnRunsTheFusedFirstLayer()
    {
        Utils.SetRandomSeed(3);
        using var model = TutorialCnn();
        model.Compile(optimizer: new SequentialNet.Optimizers.Adam(), loss: "sparse_categorical_crossentropy");
        var x = new Tensor(Enumerable.Range(0, 4 * 784).Select(i => (i * 37 % 101) / 101f).ToArray(), 4, 28, 28, 1);
        model.Fit(x, Tensor.FromLabels([1, 2, 3, 4]), epochs: 1, batchSize: 4, verbose: 0);
        foreach (var kind in new[] { PlanKind.Train, PlanKind.Predict })
        {
            var plan = model.CompiledForTests!.Plan(kind, 4);
            var ops = Enumerable.Range(0, plan.OpCount).Select(plan.Describe).ToList();
            Assert.That(ops, Has.Exactly(1).StartsWith("conv2d_relu_max_pool2d (13, 13, 32)"), kind.ToString());
            Assert.That(ops, Has.None.StartsWith("conv2d_relu (26, 26, 32)"), kind.ToString());
            Assert.That(ops, Has.Exactly(1).StartsWith("conv2d_relu (11, 11, 64)"), kind.ToString());
            if (kind == PlanKind.Train)
                Assert.That(ops, Has.Exactly(1).StartsWith("conv2d_relu_max_pool2d_filter_grad").And.Exactly(1).StartsWith("max_pool2d_relu_grad (11, 11, 64)"));
        }
    }

    [TestCase(400, 1, 64, false)]   // 398²·(9 + 2·64 + 1) = 21.9 M floats per image: more than the 4 M of the CUDA workspace
    [TestCase(160, 1, 64, true)]    // 158²·138 = 3.4 M floats: fits
    [TestCase(28, 15, 32, false)]   // a 3×3×15 patch of 135 values: recomputing it costs more than it saves
    [TestCase(28, 14, 32, true)]    // 126 values
    public void LargeImagesAndLongPatchesKeepTheSeparateOps(int side, int channels, int filters, bool fused)
    {
        var g = new GraphBuilder();
        Node x = g.Parameter([1, side, side, channels], "x", trainable: false);
        Node k = g.Parameter([3, 3, channels, filters], "k", trainable: true), b = g.Parameter([filters], "b", trainable: true);
        Node conv = Conv2DOp<Relu>.Emit(g, new Relu(), new ConvSpec(3, 3, 1, 1, 1, 1, "valid"), x, k, b);
        Node pooled = Pool2DOp.Emit(g, PoolKind.Max, new ConvSpec(2, 2, 2, 2, 1, 1, "valid"), conv);
        Assert.That(pooled.Op is Conv2DReluMaxPoolOp, Is.EqualTo(fused));
        Assert.That(Conv2DReluMaxPoolOp.MaxImageFloats, Is.EqualTo(1 << 22), "the limit the cases above are computed for");
    }

    [Test]
    public void ABranchReadingTheConvolutionKeepsIt()
    {
        var b = OpCases.All().Single(c => c.Name == "conv2d_relu_max_pool_fused_with_branch").Build(seed: 2);
        var live = ExecutionPlan.LiveOrder(b.Graph.Nodes, [.. b.Grads.OfType<Node>()]).Select(n => n.Op.Name).ToList();
        Assert.That(live, Does.Contain("conv2d_relu_max_pool2d").And.Contain("conv2d_relu").And.Contain("conv2d_relu_max_pool2d_filter_grad").And.Contain("conv2d_filter_bias_grad"));
    }
}
