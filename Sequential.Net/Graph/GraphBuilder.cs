using SequentialNet.Backends;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Graph;

/// <summary>
/// Emits nodes in topological order (every node after its inputs) and offers one helper per op, so
/// layers, losses and gradient rules read like math. Shapes are checked here, at Compile time.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly List<Node> _nodes = [];

    public IReadOnlyList<Node> Nodes => _nodes;

    public Node Add(Op op, Node[] inputs, int[] shape, bool batched, string? name = null)
    {
        var node = new Node(_nodes.Count, op, inputs, shape, batched, name ?? op.Name);
        node.RequiresGrad = inputs.Any(i => i.RequiresGrad);
        _nodes.Add(node);
        return node;
    }

    // ---- leaves -----------------------------------------------------------------------------------

    public Node Input(int[] shape, string name) => Add(new PlaceholderOp("input"), [], shape, batched: true, name);

    public Node Parameter(int[] shape, string name, bool trainable)
    {
        var node = Add(new PlaceholderOp("param"), [], shape, batched: false, name);
        node.RequiresGrad = trainable;
        return node;
    }

    // ---- dense -------------------------------------------------------------------------------------

    public Node MatMul(Node a, Node b, bool transA = false, bool transB = false) => MatMulOp.Emit(this, a, b, transA, transB);

    public Node BiasAdd(Node x, Node bias)
    {
        if (bias.Shape.Length != 1 || bias.Shape[0] != x.Cols)
            throw new InvalidOperationException($"BiasAdd: expected a bias of shape ({x.Cols},). Received: {Tensor.FormatShape(bias.Shape)}.");
        return Add(new BiasAddOp(), [x, bias], x.Shape, x.Batched);
    }

    /// <summary>
    /// y = f(x·W + b) as one fused <see cref="DenseOp{TOp}"/>; <paramref name="op"/>'s derivative must be a
    /// function of its output (<see cref="DenseOp{TOp}.DerivativeFromOutput"/>). x (…, k), W (k, n), b (n).
    /// </summary>
    public Node Dense<TOp>(TOp op, Node x, Node kernel, Node bias) where TOp : struct, IUnaryOp
    {
        if (!DenseOp<TOp>.DerivativeFromOutput(op))
            throw new InvalidOperationException($"Dense: the activation {op.Kernel} cannot be fused (its derivative needs the pre-activation).");
        if (kernel.Batched || kernel.Shape.Length != 2 || kernel.Shape[0] != x.Cols)
            throw new InvalidOperationException($"Dense: expected a kernel of shape ({x.Cols}, n). Received: {Tensor.FormatShape(kernel.Shape)}.");
        int n = kernel.Shape[1];
        if (bias.Batched || bias.Shape.Length != 1 || bias.Shape[0] != n)
            throw new InvalidOperationException($"Dense: expected a bias of shape ({n},). Received: {Tensor.FormatShape(bias.Shape)}.");
        return Add(new DenseOp<TOp>(op), [x, kernel, bias], [.. x.Shape[..^1], n], x.Batched);
    }

    /// <summary>c = a ∘ row with <paramref name="row"/> (a.Cols,) broadcast over every row of <paramref name="a"/>.</summary>
    public Node RowBroadcast<TOp>(TOp op, Node a, Node row) where TOp : struct, IBinaryOp
    {
        if (row.Batched || row.Shape.Length != 1 || row.Shape[0] != a.Cols)
            throw new InvalidOperationException($"{op.Kernel}_row: expected a row of shape ({a.Cols},). Received: {Tensor.FormatShape(row.Shape)}.");
        return Add(new RowBroadcastOp<TOp>(op), [a, row], a.Shape, a.Batched);
    }

    public Node SumRows(Node x) => Add(new SumRowsOp(), [x], [x.Cols], batched: false);

    /// <summary>x divided by the run-time row count of <paramref name="like"/> (all but its last axis).</summary>
    public Node DivideByRows(Node x, Node like) => Add(new DivideByRowsOp(), [x, like], x.Shape, x.Batched);

    /// <summary>Mean over every row of <paramref name="x"/>: shape (x.Cols,), for any batch size.</summary>
    public Node MeanRows(Node x) => DivideByRows(SumRows(x), x);

    // ---- elementwise -------------------------------------------------------------------------------

    public Node Unary<TOp>(TOp op, Node x) where TOp : struct, IUnaryOp
        => Add(new UnaryOp<TOp>(op), [x], x.Shape, x.Batched);

    public Node UnaryGrad<TOp>(TOp op, Node x, Node y, Node dy) where TOp : struct, IUnaryOp
        => Add(new UnaryGradOp<TOp>(op), [x, y, dy], x.Shape, x.Batched);

    public Node Binary<TOp>(TOp op, Node a, Node b) where TOp : struct, IBinaryOp
    {
        RequireSameShape(op.Kernel, a, b);
        return Add(new BinaryOp<TOp>(op), [a, b], a.Shape, a.Batched);
    }

    public Node AddN(Node a, Node b) => Binary(new Backends.Add(), a, b);

    public Node Scale(Node x, float alpha) => Add(new ScaleOp(alpha), [x], x.Shape, x.Batched);

    public Node Reshape(Node x, int[] shape)
    {
        int n = ShapeSize.Of(shape, "Reshape");
        if (n != x.InnerSize)
            throw new InvalidOperationException($"Reshape: cannot reshape {Tensor.FormatShape(x.Shape)} ({x.InnerSize} values per sample) into {Tensor.FormatShape(shape)}.");
        return Add(new ReshapeOp(), [x], shape, x.Batched);
    }

    /// <summary>
    /// The inputs joined along <paramref name="axis"/> (an index into their shapes): every other dimension
    /// must agree, and all must be batched or none.
    /// </summary>
    public Node Concatenate(Node[] xs, int axis)
    {
        var first = xs[0];
        if ((uint)axis >= (uint)first.Shape.Length)
            throw new InvalidOperationException($"Concatenate: expected an axis in [0, {first.Shape.Length}). Received: {axis}.");
        int length = 0;
        foreach (var x in xs)
        {
            bool fits = x.Batched == first.Batched && x.Shape.Length == first.Shape.Length;
            for (int d = 0; fits && d < x.Shape.Length; d++) fits = d == axis || x.Shape[d] == first.Shape[d];
            if (!fits)
                throw new InvalidOperationException($"Concatenate: expected shapes that agree except on axis {axis}. Received: {string.Join(" and ", xs.Select(n => Tensor.FormatShape(n.Shape)))}.");
            length += x.Shape[axis];
        }
        int[] shape = (int[])first.Shape.Clone();
        shape[axis] = length;
        return Add(new ConcatOp(axis), xs, shape, first.Batched);
    }

    /// <summary>x with its axes permuted: output axis k is axis <paramref name="perm"/>[k] of x's shape (the batch axis stays first).</summary>
    public Node Permute(Node x, int[] perm)
    {
        if (perm.Length != x.Shape.Length || perm.Order().Where((p, k) => p != k).Any())
            throw new InvalidOperationException($"Permute: expected a permutation of 0..{x.Shape.Length - 1}. Received: ({string.Join(", ", perm)}).");
        return Add(new PermuteOp(perm), [x], [.. perm.Select(p => x.Shape[p])], x.Batched);
    }

    // ---- softmax, losses, reductions ---------------------------------------------------------------

    public Node Softmax(Node x) => Add(new SoftmaxOp(), [x], x.Shape, x.Batched);

    public Node LogSoftmax(Node x) => Add(new LogSoftmaxOp(), [x], x.Shape, x.Batched);

    public Node SoftmaxCrossEntropy(Node logits, Node labels, bool sparse, float labelSmoothing)
        => Add(new SoftmaxCrossEntropyOp(sparse, labelSmoothing), [logits, labels], logits.Shape[..^1], logits.Batched);

    public Node Loss(LossKind kind, Node pred, Node target, LossParams param = default)
        => Add(new LossOp(kind, param), [pred, target], pred.Shape[..^1], pred.Batched);

    /// <summary>Mean of all elements: a scalar.</summary>
    public Node Mean(Node x) => Add(new SumAllOp(mean: true), [x], [], batched: false);

    /// <summary>A tensor shaped like <paramref name="like"/> filled with scale·s.</summary>
    public Node Broadcast(Node s, Node like, float scale, bool divideBySize)
        => Add(new BroadcastScalarOp(scale, divideBySize), [s, like], like.Shape, like.Batched);

    public Node DropoutMask(Node like, float rate, uint stream)
        => Add(new DropoutMaskOp(rate, stream), [like], like.Shape, like.Batched);

    /// <summary>A random per-sample affine warp of the (H, W, C) images of <paramref name="x"/>.</summary>
    public Node Augment(Node x, Backends.AugmentSpec spec, uint stream)
        => Add(new AugmentOp(spec, stream), [x], x.Shape, x.Batched);

    /// <summary>
    /// The (H, W, C) images of <paramref name="x"/> cropped to (spec.Height, spec.Width, C); the Philox key is
    /// <paramref name="seed"/> when given, the model's seed otherwise.
    /// </summary>
    public Node Crop(Node x, Backends.CropSpec spec, uint stream, ulong? seed = null)
    {
        int[] shape = x.Batched ? [spec.Height, spec.Width, x.Shape[2]] : [x.Shape[0], spec.Height, spec.Width, x.Shape[3]];
        return Add(new CropOp(spec, stream, seed), [x], shape, x.Batched);
    }

    // ---- batch normalization ------------------------------------------------------------------------

    /// <summary>stats(2, x.Cols): the column means of <paramref name="x"/> in row 0, the biased variances in row 1.</summary>
    public Node BatchNormStatistics(Node x) => Add(new BatchNormStatsOp(), [x], [2, x.Cols], batched: false);

    /// <summary>Row <paramref name="row"/> of the unbatched matrix <paramref name="m"/>, as a view (nothing runs).</summary>
    public Node RowOf(Node m, int row)
    {
        if (m.Batched || m.Shape.Length != 2 || (uint)row >= (uint)m.Shape[0])
            throw new InvalidOperationException($"RowOf: expected an unbatched matrix with a row {row}. Received: {Tensor.FormatShape(m.Shape)}{(m.Batched ? " (batched)" : "")}.");
        return Add(new RowOfOp(row), [m], [m.Shape[1]], batched: false);
    }

    /// <summary>
    /// Fused batch normalization of <paramref name="x"/> with per-feature (x.Cols,) mean, variance and the
    /// optional gamma and beta. <paramref name="batchStatistics"/> is only for mean and variance made by
    /// <see cref="BatchNormTrain"/>; elsewhere they are constants (moving statistics).
    /// </summary>
    public Node BatchNorm(Node x, Node mean, Node variance, Node? gamma, Node? beta, float epsilon, bool batchStatistics = false)
    {
        foreach (var (what, row) in new[] { ("mean", mean), ("variance", variance), ("gamma", gamma), ("beta", beta) })
            if (row != null && (row.Batched || row.Shape.Length != 1 || row.Shape[0] != x.Cols))
                throw new InvalidOperationException($"BatchNorm: expected {what} of shape ({x.Cols},). Received: {Tensor.FormatShape(row.Shape)}.");
        Node[] inputs = [x, mean, variance, .. gamma == null ? Array.Empty<Node>() : [gamma], .. beta == null ? Array.Empty<Node>() : [beta]];
        return Add(new BatchNormOp(epsilon, batchStatistics, gamma != null, beta != null), inputs, x.Shape, x.Batched);
    }

    /// <summary>
    /// Training-mode batch normalization: the batch statistics of <paramref name="x"/> (one fused op) and
    /// the fused normalize with them, whose gradient wrt x runs through the statistics. Returns the output
    /// and the batch mean and variance (x.Cols,), for the moving statistics.
    /// </summary>
    public (Node Output, Node Mean, Node Variance) BatchNormTrain(Node x, Node? gamma, Node? beta, float epsilon)
    {
        Node stats = BatchNormStatistics(x);
        Node mean = RowOf(stats, 0), variance = RowOf(stats, 1);
        return (BatchNorm(x, mean, variance, gamma, beta, epsilon, batchStatistics: true), mean, variance);
    }

    // ---- effects -----------------------------------------------------------------------------------

    public Node Effect(Op op, params Node[] inputs) => Add(op, inputs, [0], batched: false);

    /// <summary>An effect that writes <paramref name="value"/> into <paramref name="variable"/>'s device buffer.</summary>
    public Node Assign(Variable variable, Node value)
    {
        if (value.Batched || !value.Shape.AsSpan().SequenceEqual(variable.Shape))
            throw new InvalidOperationException($"Assign: expected a value of shape {Tensor.FormatShape(variable.Shape)} for \"{variable.Name}\". Received: {Tensor.FormatShape(value.Shape)}.");
        return Add(new AssignOp(variable), [value], variable.Shape, batched: false, $"assign_{variable.Name}");
    }

    private static void RequireSameShape(string who, Node a, Node b)
    {
        if (a.Batched != b.Batched || !a.Shape.AsSpan().SequenceEqual(b.Shape))
            throw new InvalidOperationException($"{who}: expected operands of the same shape. Received: {Tensor.FormatShape(a.Shape)} and {Tensor.FormatShape(b.Shape)}.");
    }
}
