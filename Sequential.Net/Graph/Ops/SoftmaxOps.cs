using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>Row softmax over the last axis.</summary>
internal sealed class SoftmaxOp : Op
{
    public override string Name => "softmax";

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node x = args.Node.Inputs[0];
        backend.Softmax(args[0], args.Output, x.Rows(args.Batch), x.Cols);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        for (int r = 0; r < output.Length / cols; r++)
        {
            var x = inputs[0].AsSpan(r * cols, cols);
            double max = double.NegativeInfinity, sum = 0;
            foreach (double v in x) max = Math.Max(max, v);
            for (int j = 0; j < cols; j++) sum += output[r * cols + j] = Math.Exp(x[j] - max);
            for (int j = 0; j < cols; j++) output[r * cols + j] /= sum;
        }
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
        => [g.Add(new SoftmaxGradOp(), [node, dy], node.Shape, node.Batched)];
}

/// <summary>dx = y ⊙ (dy − Σ dy⊙y) per row.</summary>
internal sealed class SoftmaxGradOp : Op
{
    public override string Name => "softmax_grad";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.SoftmaxBackward(args[0], args[1], args.Output, args.Node.Rows(args.Batch), args.Node.Cols);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        double[] y = inputs[0], dy = inputs[1];
        for (int r = 0; r < output.Length / cols; r++)
        {
            double dot = 0;
            for (int j = 0; j < cols; j++) dot += y[r * cols + j] * dy[r * cols + j];
            for (int j = 0; j < cols; j++) output[r * cols + j] = y[r * cols + j] * (dy[r * cols + j] - dot);
        }
    }
}

/// <summary>
/// Fused softmax + cross-entropy on logits: loss(row) = logsumexp(z) − Σ t·z. Emitted whenever a model
/// ends in softmax and is trained with (sparse) categorical cross-entropy, so the probabilities are never
/// logged and the gradient is the stable softmax(z) − t.
/// </summary>
internal sealed class SoftmaxCrossEntropyOp(bool sparse, float labelSmoothing) : Op
{
    public bool Sparse { get; } = sparse;
    public float LabelSmoothing { get; } = labelSmoothing;
    public override string Name => Sparse ? "sparse_softmax_cross_entropy" : "softmax_cross_entropy";

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node z = args.Node.Inputs[0];
        backend.SoftmaxCrossEntropy(args[0], args[1], args.Output, z.Rows(args.Batch), z.Cols, Sparse, LabelSmoothing);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Inputs[0].Cols;
        for (int r = 0; r < output.Length; r++)
        {
            var z = inputs[0].AsSpan(r * cols, cols);
            double max = double.NegativeInfinity, sum = 0, dot = 0;
            foreach (double v in z) max = Math.Max(max, v);
            foreach (double v in z) sum += Math.Exp(v - max);
            for (int j = 0; j < cols; j++) dot += Target(inputs[1], r, j, cols) * z[j];
            output[r] = max + Math.Log(sum) - dot;
        }
    }

    internal double Target(double[] labels, int row, int j, int cols)
    {
        double t = Sparse ? ((int)labels[row] == j ? 1 : 0) : labels[row * cols + j];
        return t * (1 - LabelSmoothing) + LabelSmoothing / cols;
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dloss)
    {
        Node z = node.Inputs[0];
        var grad = g.Add(new SoftmaxCrossEntropyGradOp(this), [z, node.Inputs[1], dloss], z.Shape, z.Batched);
        return [grad, null];
    }
}

/// <summary>dz = (softmax(z) − t) · dloss[row].</summary>
internal sealed class SoftmaxCrossEntropyGradOp(SoftmaxCrossEntropyOp forward) : Op
{
    public override string Name => forward.Name + "_grad";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.SoftmaxCrossEntropyBackward(args[0], args[1], args[2], args.Output, args.Node.Rows(args.Batch), args.Node.Cols, forward.Sparse, forward.LabelSmoothing);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        var p = new double[output.Length];
        new SoftmaxOp().Reference(ctx, [inputs[0]], p, node, batch);
        for (int i = 0; i < output.Length; i++)
        {
            int r = i / cols, j = i % cols;
            output[i] = (p[i] - forward.Target(inputs[1], r, j, cols)) * inputs[2][r];
        }
    }
}
