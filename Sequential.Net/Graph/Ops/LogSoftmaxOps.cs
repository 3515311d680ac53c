using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>Row log_softmax over the last axis: y = x − max − log Σ e^(x − max).</summary>
internal sealed class LogSoftmaxOp : Op
{
    public override string Name => "log_softmax";

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node x = args.Node.Inputs[0];
        backend.LogSoftmax(args[0], args.Output, x.Rows(args.Batch), x.Cols);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        for (int r = 0; r < output.Length / cols; r++)
        {
            var x = inputs[0].AsSpan(r * cols, cols);
            double max = double.NegativeInfinity, sum = 0;
            foreach (double v in x) max = Math.Max(max, v);
            foreach (double v in x) sum += Math.Exp(v - max);
            double logSum = max + Math.Log(sum);
            for (int j = 0; j < cols; j++) output[r * cols + j] = x[j] - logSum;
        }
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
        => [g.Add(new LogSoftmaxGradOp(), [node, dy], node.Shape, node.Batched)];
}

/// <summary>dx = dy − softmax(x)·Σ dy per row, with softmax(x) = e^y from the op's own output y.</summary>
internal sealed class LogSoftmaxGradOp : Op
{
    public override string Name => "log_softmax_grad";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.LogSoftmaxBackward(args[0], args[1], args.Output, args.Node.Rows(args.Batch), args.Node.Cols);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        double[] y = inputs[0], dy = inputs[1];
        for (int r = 0; r < output.Length / cols; r++)
        {
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += dy[r * cols + j];
            for (int j = 0; j < cols; j++) output[r * cols + j] = dy[r * cols + j] - Math.Exp(y[r * cols + j]) * sum;
        }
    }
}
