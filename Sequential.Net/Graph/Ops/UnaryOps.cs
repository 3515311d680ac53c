using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>y = f(x) for an operator struct f (relu, sigmoid, …); the backend specializes on TOp.</summary>
internal sealed class UnaryOp<TOp>(TOp op) : Op where TOp : struct, IUnaryOp
{
    public TOp Function { get; } = op;
    public override string Name => Function.Kernel;

    public override void Run(IBackend backend, in OpArgs args) => backend.Unary(Function, args[0], args.Output);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        for (int i = 0; i < output.Length; i++) output[i] = Function.Reference(inputs[0][i]);
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
        => [(typeof(TOp) == typeof(Relu) ? Pool2DGradOp.FuseRelu(g, node, dy) : null)   // relu → max pooling: one backward pass
            ?? g.UnaryGrad(Function, node.Inputs[0], node, dy)];
}

/// <summary>dx = dy · f'(x), with y = f(x) passed so sigmoid and tanh reuse it.</summary>
internal sealed class UnaryGradOp<TOp>(TOp op) : Op where TOp : struct, IUnaryOp
{
    public TOp Function { get; } = op;
    public override string Name => Function.Kernel + "_grad";

    public override void Run(IBackend backend, in OpArgs args) => backend.UnaryBackward(Function, args[0], args[1], args[2], args.Output);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        for (int i = 0; i < output.Length; i++) output[i] = inputs[2][i] * Function.ReferenceDerivative(inputs[0][i]);
    }
}

/// <summary>y = alpha·x.</summary>
internal sealed class ScaleOp(float alpha) : Op
{
    public float Alpha { get; } = alpha;
    public override string Name => "scale";

    public override void Run(IBackend backend, in OpArgs args) => backend.Scale(args[0], Alpha, args.Output);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        for (int i = 0; i < output.Length; i++) output[i] = Alpha * inputs[0][i];
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy) => [g.Scale(dy, Alpha)];
}

/// <summary>A view with a new shape over the same memory: nothing runs, the planner aliases it.</summary>
internal sealed class ReshapeOp : Op
{
    public override string Name => "reshape";
    public override bool IsAlias => true;

    public override void Run(IBackend backend, in OpArgs args) { }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => Array.Copy(inputs[0], output, output.Length);

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy) => [g.Reshape(dy, node.Inputs[0].Shape)];
}
