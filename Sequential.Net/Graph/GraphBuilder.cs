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
        int n = 1; foreach (int d in shape) n *= d;
        if (n != x.InnerSize)
            throw new InvalidOperationException($"Reshape: cannot reshape {Tensor.FormatShape(x.Shape)} ({x.InnerSize} values per sample) into {Tensor.FormatShape(shape)}.");
        return Add(new ReshapeOp(), [x], shape, x.Batched);
    }

    // ---- softmax, losses, reductions ---------------------------------------------------------------

    public Node Softmax(Node x) => Add(new SoftmaxOp(), [x], x.Shape, x.Batched);

    public Node SoftmaxCrossEntropy(Node logits, Node labels, bool sparse, float labelSmoothing)
        => Add(new SoftmaxCrossEntropyOp(sparse, labelSmoothing), [logits, labels], logits.Shape[..^1], logits.Batched);

    public Node Loss(LossKind kind, Node pred, Node target, float param = 0)
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
