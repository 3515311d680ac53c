using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>y(rows, n) = x(rows, n) + b(n).</summary>
internal sealed class BiasAddOp : Op
{
    public override string Name => "bias_add";

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node x = args.Node.Inputs[0];
        backend.BinaryRowBroadcast(new Add(), args[0], args[1], args.Output, x.Rows(args.Batch), x.Cols);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        for (int i = 0; i < output.Length; i++) output[i] = inputs[0][i] + inputs[1][i % cols];
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
        => [node.Inputs[0].RequiresGrad ? dy : null, node.Inputs[1].RequiresGrad ? g.SumRows(dy) : null];
}

/// <summary>y(n) = Σ_rows x(rows, n): the bias gradient.</summary>
internal sealed class SumRowsOp : Op
{
    public override string Name => "sum_rows";

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node x = args.Node.Inputs[0];
        backend.SumRows(args[0], args.Output, x.Rows(args.Batch), x.Cols);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        Array.Clear(output);
        for (int i = 0; i < inputs[0].Length; i++) output[i % cols] += inputs[0][i];
    }

    // y_j = Σ_r x_rj ⇒ dx_rj = dy_j: the row broadcast onto zeros shaped like x (no extra primitive).
    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0];
        Node zeros = g.Add(new ConstantOp(0f), [], x.Shape, x.Batched, "zeros");
        return [g.BiasAdd(zeros, dy)];
    }
}
