using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>
/// The dot product of two (batch, n) tensors per sample, (batch, 1) (Keras's <c>Dot(axes=1)</c> on 2-D
/// inputs); with <see cref="Normalize"/> the inputs are L2-normalized first, giving the cosine similarity.
/// Only the 2-D case is supported.
/// </summary>
public sealed class Dot : Merge
{
    /// <summary>Creates the layer. <paramref name="axes"/>: 1 or −1 (the feature axis of 2-D inputs).</summary>
    /// <exception cref="ArgumentException">Another axis.</exception>
    public Dot(int axes = 1, bool normalize = false, string? name = null) : base(name)
    {
        if (axes != 1 && axes != -1)
            throw new ArgumentException($"Dot: expected axes 1 or -1 (2-D inputs). Received: {axes}.", nameof(axes));
        Axes = axes; Normalize = normalize;
    }

    /// <summary>The summed axis (1 or −1).</summary>
    public int Axes { get; }

    /// <summary>Whether the inputs are L2-normalized along the axis first (cosine similarity).</summary>
    public bool Normalize { get; }

    internal override (int Min, int Max) InputArity => (2, 2);

    private protected override void CheckShapes(int[][] shapes)
    {
        if (shapes[0].Length != 1 || !shapes[0].AsSpan().SequenceEqual(shapes[1]))
            throw new ArgumentException($"Layer \"{Name}\" (Dot) expected two 2-D inputs of one shape, (None, n). Received: {Format(shapes[0])} and {Format(shapes[1])}.");
    }

    private protected override int[] OutputShape(int[][] shapes) => [1];

    private protected override Node Combine(GraphBuilder g, Node[] inputs)
    {
        Node a = inputs[0], b = inputs[1];
        int n = a.Cols;
        Node ones = g.Add(new ConstantOp(1f), [], [n, 1], batched: false, "ones");
        Node RowSum(Node x) => g.MatMul(x, ones);                        // (batch, n)·(n, 1) → (batch, 1)
        if (Normalize)
        {
            // x / sqrt(Σx² + 1e-12) along the axis. Keras takes max(Σx², 1e-12) instead: the two differ only
            // for vectors of norm below about 1e-5, where float32 cannot tell them apart anyway.
            Node Unit(Node x)
            {
                Node epsilon = g.Add(new ConstantOp(1e-12f), [], [1], batched: false);
                Node norm = g.Unary(new Backends.Sqrt(), g.RowBroadcast(new Backends.Add(), RowSum(g.Unary(new Backends.Square(), x)), epsilon));
                return g.Binary(new Backends.Div(), x, g.MatMul(norm, g.Add(new ConstantOp(1f), [], [1, n], batched: false)));
            }
            a = Unit(a); b = Unit(b);
        }
        return RowSum(g.Binary(new Backends.Mul(), a, b));
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["axes"] = Axes;
        config["normalize"] = Normalize;
        return config;
    }
}
