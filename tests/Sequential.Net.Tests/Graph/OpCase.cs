using SequentialNet.Graph;

namespace SequentialNet.Tests.Graph;

/// <summary>
/// One row of the op-case table: input shapes, how to draw inputs (away from kinks and domain edges),
/// and how to emit the op. The same table drives float64 gradient checks and backend parity tests.
/// </summary>
public sealed class OpCase
{
    internal OpCase(string name, int[][] shapes, Func<GraphBuilder, Node[], Node> emit, Func<Random, int, int, double>? draw = null, bool[]? differentiable = null)
    {
        Name = name; Shapes = shapes; Emit = emit;
        Draw = draw ?? ((r, input, i) => OpCases.AwayFromZero(r));
        Differentiable = differentiable ?? shapes.Select(_ => true).ToArray();
    }

    public string Name { get; }
    public int[][] Shapes { get; }
    internal Func<GraphBuilder, Node[], Node> Emit { get; }
    /// <summary>Value for element i of input k.</summary>
    public Func<Random, int, int, double> Draw { get; }
    /// <summary>Inputs that get a gradient (labels do not).</summary>
    public bool[] Differentiable { get; }

    public override string ToString() => Name;

    /// <summary>The op applied to fresh parameter nodes, plus L = Σ out ⊙ R for a fixed random R.</summary>
    internal Built Build(int seed)
    {
        var g = new GraphBuilder();
        var inputs = Shapes.Select((s, k) => g.Parameter(s, $"in{k}", trainable: Differentiable[k])).ToArray();
        Node output = Emit(g, inputs);
        Node weights = g.Parameter(output.Shape, "R", trainable: false);
        Node loss = g.Add(new SequentialNet.Graph.Ops.SumAllOp(mean: false), [g.Binary(new Backends.Mul(), output, weights)], [], false, "L");
        var wrt = inputs.Where((_, k) => Differentiable[k]).ToArray();
        Node?[] grads = Autodiff.Gradients(g, loss, wrt);
        var random = new Random(seed);
        var feeds = new Dictionary<Node, double[]>();
        for (int k = 0; k < inputs.Length; k++)
            feeds[inputs[k]] = Enumerable.Range(0, inputs[k].Size(1)).Select(i => Draw(random, k, i)).ToArray();
        feeds[weights] = Enumerable.Range(0, weights.Size(1)).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return new Built(g, inputs, wrt, output, loss, grads, feeds);
    }

    internal sealed record Built(GraphBuilder Graph, Node[] Inputs, Node[] Wrt, Node Output, Node Loss, Node?[] Grads, Dictionary<Node, double[]> Feeds);
}
