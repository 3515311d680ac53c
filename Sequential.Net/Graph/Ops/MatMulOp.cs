using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// C = op(A)·op(B), row-major. A batched (…, k) input is viewed as a matrix (rows, k), which is how
/// Dense applies to the last axis. With transA, A (k, m) is read transposed: the weight-gradient shape
/// xᵀ·dy that reduces over the batch.
/// </summary>
internal sealed class MatMulOp(bool transA, bool transB) : Op
{
    public bool TransA { get; } = transA;
    public bool TransB { get; } = transB;

    public override string Name => $"matmul{(TransA ? "_tA" : "")}{(TransB ? "_tB" : "")}";

    public static Node Emit(GraphBuilder g, Node a, Node b, bool transA, bool transB)
    {
        if (b.Batched && transB)
            throw new InvalidOperationException("MatMul: a batched right operand cannot be transposed (its columns would depend on the batch size).");
        int kA = transA ? -1 : a.Cols;              // -1: depends on the batch size, checked when run
        int kB = transB ? b.Cols : (b.Batched ? -1 : b.Shape[0]);
        if (kA >= 0 && kB >= 0 && kA != kB)
            throw new InvalidOperationException($"MatMul: expected inner dimensions to match. Received: {Tensor.FormatShape(a.Shape)} · {Tensor.FormatShape(b.Shape)}.");
        int n = transB ? b.Shape[0] : b.Cols;
        var op = new MatMulOp(transA, transB);
        return transA
            ? g.Add(op, [a, b], [a.Cols, n], batched: false)
            : g.Add(op, [a, b], [.. a.Shape[..^1], n], a.Batched);
    }

    private (int m, int n, int k) Dims(Node node, int batch)
    {
        Node a = node.Inputs[0];
        int k = TransA ? a.Rows(batch) : a.Cols;
        int m = TransA ? a.Cols : a.Rows(batch);
        return (m, node.Cols, k);
    }

    public override void Run(IBackend backend, in OpArgs args)
    {
        var (m, n, k) = Dims(args.Node, args.Batch);
        backend.Gemm(TransA, TransB, m, n, k, 1f, args[0], args[1], 0f, args.Output);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var (m, n, k) = Dims(node, batch);
        double[] a = inputs[0], b = inputs[1];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (TransA ? a[p * m + i] : a[i * k + p]) * (TransB ? b[j * k + p] : b[p * n + j]);
                output[i * n + j] = s;
            }
    }

    // C = op(A)·op(B) ⇒ d op(A) = dC·op(B)ᵀ and d op(B) = op(A)ᵀ·dC, then undo the transposes.
    public override Node?[] Backward(GraphBuilder g, Node node, Node dC)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        Node? dA = null, dB = null;
        if (a.RequiresGrad)
            dA = TransA ? g.MatMul(b, dC, TransB, true) : g.MatMul(dC, b, false, !TransB);
        if (b.RequiresGrad)
            dB = TransB ? g.MatMul(dC, a, true, TransA) : g.MatMul(a, dC, !TransA, false);
        if (dA != null && (dA.Batched != a.Batched || dA.InnerSize != a.InnerSize)) dA = g.Reshape(dA, a.Shape);
        return [dA, dB];
    }
}
