using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// c(rows, n) = a(rows, n) ∘ row(n): a binary op with the row broadcast over every row of a (per-feature
/// shift and scale: Rescaling, Normalization). Gradients for Add, Sub, Mul and Div, wrt a and wrt the row.
/// </summary>
internal sealed class RowBroadcastOp<TOp>(TOp op) : Op where TOp : struct, IBinaryOp
{
    public TOp Function { get; } = op;
    public override string Name => Function.Kernel + "_row";

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node a = args.Node.Inputs[0];
        backend.BinaryRowBroadcast(Function, args[0], args[1], args.Output, a.Rows(args.Batch), a.Cols);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int cols = node.Cols;
        for (int i = 0; i < output.Length; i++) output[i] = Function.Reference(inputs[0][i], inputs[1][i % cols]);
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node a = node.Inputs[0], row = node.Inputs[1];
        bool wantA = a.RequiresGrad, wantRow = row.RequiresGrad;
        Node? da, drow;
        switch (Function)
        {
            case Backends.Add:
                da = wantA ? dy : null;
                drow = wantRow ? g.SumRows(dy) : null;
                break;
            case Sub:
                da = wantA ? dy : null;
                drow = wantRow ? g.Scale(g.SumRows(dy), -1f) : null;
                break;
            case Mul:
                da = wantA ? g.RowBroadcast(new Mul(), dy, row) : null;
                drow = wantRow ? g.SumRows(g.Binary(new Mul(), dy, a)) : null;
                break;
            case Div:
                // c = a / r ⇒ da = dy / r, dr = −Σ_rows dy·c / r.
                da = wantA ? g.RowBroadcast(new Div(), dy, row) : null;
                drow = wantRow ? g.Binary(new Div(), g.Scale(g.SumRows(g.Binary(new Mul(), dy, node)), -1f), row) : null;
                break;
            default:
                throw new InvalidOperationException($"Op {Name} has no gradient rule.");
        }
        return [da, drow];
    }
}
