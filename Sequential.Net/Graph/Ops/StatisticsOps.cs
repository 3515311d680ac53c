using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// y = x / rows(like): divides by the row count of the second input (all but its last axis, batch
/// included), known only at run time. SumRows followed by it is a mean over rows (BatchNormalization's
/// batch statistics). The second input is read only for its shape.
/// </summary>
internal sealed class DivideByRowsOp : Op
{
    public override string Name => "divide_by_rows";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.Scale(args[0], 1f / Math.Max(1, args.Node.Inputs[1].Rows(args.Batch)), args.Output);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        double rows = Math.Max(1, node.Inputs[1].Rows(batch));
        for (int i = 0; i < output.Length; i++) output[i] = inputs[0][i] / rows;
    }

    // y = x/n ⇒ dx = dy/n; the shape input gets none.
    public override Node?[] Backward(GraphBuilder g, Node node, Node dy) => [g.DivideByRows(dy, node.Inputs[1]), null];
}

/// <summary>
/// Writes its input into a variable's device buffer (the node's output is bound to that buffer): the
/// train step's side effect for state that is not trained by gradients, such as BatchNormalization's
/// moving statistics. It runs once per step, after every op it depends on.
/// </summary>
internal sealed class AssignOp(Variable variable) : Op
{
    /// <summary>The variable whose buffer receives the value.</summary>
    public Variable Variable { get; } = variable;
    public override string Name => $"assign[{Variable.Name}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args) => backend.Copy(args[0], args.Output);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => Array.Copy(inputs[0], output, output.Length);
}
