using SequentialNet.Graph;
using SequentialNet.Layers;
using SequentialNet.Losses;
using SequentialNet.Tests.Training;

namespace SequentialNet.Tests.Functional;

/// <summary>Bad graphs and bad data get Keras's kind of message; a DAG with a shared layer and a skip connection has exact gradients.</summary>
public class FunctionalErrorsAndGradientTests
{
    [Test]
    public void MalformedGraphsAreRefusedWithNames()
    {
        var a = new Input([4], name: "a");
        var b = new Input([4], name: "b");
        var fromB = new Dense(2, name: "from_b").Apply(b);
        var e = Assert.Throws<ArgumentException>(() => new Model(a, fromB))!;
        Assert.That(e.Message, Does.Contain("graph disconnected").And.Contain("\"b\""));
        var unused = Assert.Throws<ArgumentException>(() => new Model([a, b], [new Dense(2).Apply(a)]))!;
        Assert.That(unused.Message, Does.Contain("input \"b\" is not connected"));
        var notInput = Assert.Throws<ArgumentException>(() => new Model(fromB, fromB))!;
        Assert.That(notInput.Message, Does.Contain("expected inputs made with new Input"));
        var twins = Assert.Throws<ArgumentException>(() => new Model(a, new Dense(1, name: "twin").Apply(new Dense(3, name: "twin").Apply(a))))!;
        Assert.That(twins.Message, Does.Contain("unique layer names").And.Contain("\"twin\""));
    }

    [Test]
    public void MismatchedMergeShapesNameBoth()
    {
        var a = new Input([4]); var b = new Input([3]);
        var e = Assert.Throws<ArgumentException>(() => new Add(name: "plus").Apply(a, b))!;
        Assert.That(e.Message, Does.Contain("\"plus\"").And.Contain("(None, 4)").And.Contain("(None, 3)"));
        var c = Assert.Throws<ArgumentException>(() => new Concatenate(axis: 1, name: "cat").Apply(new Input([2, 3]), new Input([2, 4])))!;
        Assert.That(c.Message, Does.Contain("\"cat\"").And.Contain("(None, 2, 3)").And.Contain("(None, 2, 4)"));
        var one = Assert.Throws<ArgumentException>(() => new Add().Apply(a))!;
        Assert.That(one.Message, Does.Contain("at least 2 input tensors"));
        Assert.Throws<ArgumentException>(() => new Dense(2).Apply(a, a));
        Assert.Throws<InvalidOperationException>(() => new Add().ComputeOutputShape([4]));
    }

    [Test]
    public void BadDataAndCompileArgumentsNameWhatIsWrong()
    {
        var image = new Input([3], name: "image");
        var extra = new Input([2], name: "extra");
        var both = new Concatenate().Apply(image, extra);
        using var model = new Model([image, extra], [new Dense(2, name: "cls").Apply(both), new Dense(1, name: "val").Apply(both)]);
        var unknown = Assert.Throws<ArgumentException>(() => model.Compile(optimizer: "adam", loss: new Dictionary<string, Loss> { ["cls"] = "mse", ["vals"] = "mse" }))!;
        Assert.That(unknown.Message, Does.Contain("\"vals\"").And.Contain("\"val\""));
        var missing = Assert.Throws<ArgumentException>(() => model.Compile(optimizer: "adam", loss: new Dictionary<string, Loss> { ["cls"] = "mse" }))!;
        Assert.That(missing.Message, Does.Contain("no loss").Or.Contain("none for output \"val\""));
        var count = Assert.Throws<ArgumentException>(() => model.Compile(optimizer: "adam", loss: (IReadOnlyList<Loss>)[(Loss)"mse"]))!;
        Assert.That(count.Message, Does.Contain("one entry per output (2"));
        model.Compile(optimizer: "adam", loss: "mse");
        var x = TestData.Random(10, 3, 1); var x2 = TestData.Random(10, 2, 2);
        var ys = new[] { TestData.Random(10, 2, 3), TestData.Random(10, 1, 4) };
        var arrays = Assert.Throws<ArgumentException>(() => model.Fit([x], ys, verbose: 0))!;
        Assert.That(arrays.Message, Does.Contain("expected 2 input arrays (image, extra). Received: 1"));
        var targets = Assert.Throws<ArgumentException>(() => model.Fit([x, x2], [ys[0]], verbose: 0))!;
        Assert.That(targets.Message, Does.Contain("expected 2 target arrays"));
        var shape = Assert.Throws<ArgumentException>(() => model.Fit([x2, x2], ys, verbose: 0))!;
        Assert.That(shape.Message, Does.Contain("input \"image\" expected input shape (None, 3)"));
        var key = Assert.Throws<ArgumentException>(() => model.PredictAll(new Dictionary<string, Tensor> { ["image"] = x, ["extras"] = x2 }))!;
        Assert.That(key.Message, Does.Contain("\"extras\""));
        var predict = Assert.Throws<InvalidOperationException>(() => model.Predict([x, x2]))!;
        Assert.That(predict.Message, Does.Contain("PredictAll"));
        Assert.Throws<ArgumentException>(() => model.Fit([x, x2], ys, classWeight: new Dictionary<int, double> { [0] = 2 }, verbose: 0));
    }

    [Test]
    public void SummaryShowsConnectionsOfAFunctionalModel()
    {
        Utils.SetRandomSeed(1);
        var a = new Input([4], name: "in_a");
        var shared = new Dense(3, name: "shared");
        var out1 = shared.Apply(a);
        var out2 = shared.Apply(new Dense(4, name: "pre").Apply(a));
        using var model = new Model(a, new Add(name: "sum").Apply(out1, out2), name: "graph");
        string text = model.SummaryText();
        Assert.That(text, Does.Contain("Connected to"));
        Assert.That(text, Does.Contain("in_a (InputLayer)"));
        Assert.That(text, Does.Contain("shared[0][0]").And.Contain("shared[1][0]"), "the two calls of the shared layer");
        Assert.That(text, Does.Contain("pre[0][0]"));
        Assert.That(text, Does.Contain(" Total params: 35 "), "shared 4·3+3 once, pre 4·4+4");
    }

    /// <summary>
    /// Central differences in float64 through a DAG where one Dense is applied twice (its gradient is the sum
    /// of both uses), with a skip connection (Add), a Maximum and a Concatenate (docs/testing.md: eps 1e-6, atol 1e-5, rtol 1e-3).
    /// </summary>
    [Test]
    public void GradientsThroughASharedLayerAndASkipConnectionMatchFiniteDifferences()
    {
        Utils.SetRandomSeed(2);
        var input = new Input([3]);
        var shared = new Dense(3, activation: "tanh");
        var h1 = shared.Apply(input);
        var h2 = shared.Apply(new Dense(3, activation: "sigmoid").Apply(input));
        var skip = new Add().Apply(input, h2);
        var joined = new Concatenate().Apply(new Maximum().Apply(h1, skip), h2);
        using var model = new Model(input, new Dense(2).Apply(joined));
        var g = new GraphBuilder();
        var x = g.Parameter([4, 3], "x", trainable: true);
        var parameters = new Dictionary<Variable, Node>();
        var ctx = new LayerContext(g, training: false, v => parameters.TryGetValue(v, out var n) ? n : parameters[v] = g.Parameter(v.Shape, v.Name, trainable: true));
        Node output = model.Graph.Emit(ctx, [x])[0];
        Node weights = g.Parameter(output.Shape, "R", trainable: false);
        Node loss = g.Add(new SequentialNet.Graph.Ops.SumAllOp(mean: false), [g.Binary(new Backends.Mul(), output, weights)], [], false, "L");
        Node[] wrt = [x, .. parameters.Values];
        var grads = Autodiff.Gradients(g, loss, wrt);
        var random = new Random(5);
        var feeds = new Dictionary<Node, double[]>
        {
            [x] = [.. Enumerable.Range(0, 12).Select(_ => random.NextDouble() * 2 - 1)],
            [weights] = [.. Enumerable.Range(0, 8).Select(_ => random.NextDouble() * 2 - 1)],
        };
        foreach (var (variable, node) in parameters) feeds[node] = [.. variable.ToTensor().Data.Select(v => (double)v)];
        var evaluator = new ReferenceEvaluator(g.Nodes, new ReferenceContext());
        var values = evaluator.Run(feeds, batch: 1);
        for (int k = 0; k < wrt.Length; k++)
        {
            Assert.That(grads[k], Is.Not.Null, $"no gradient for {wrt[k].Name}");
            double[] analytic = values[grads[k]!], v = feeds[wrt[k]];
            for (int i = 0; i < v.Length; i++)
            {
                double saved = v[i];
                v[i] = saved + 1e-6; double plus = evaluator.Run(feeds, 1, loss)[loss][0];
                v[i] = saved - 1e-6; double minus = evaluator.Run(feeds, 1, loss)[loss][0];
                v[i] = saved;
                double numeric = (plus - minus) / 2e-6;
                Assert.That(Math.Abs(analytic[i] - numeric), Is.LessThanOrEqualTo(1e-5 + 1e-3 * Math.Abs(numeric)), $"d/d{wrt[k].Name}[{i}]");
            }
        }
    }
}
