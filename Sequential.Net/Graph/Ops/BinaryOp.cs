using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>c = a ∘ b elementwise, operands of the same shape.</summary>
internal sealed class BinaryOp<TOp>(TOp op) : Op where TOp : struct, IBinaryOp
{
    public TOp Function { get; } = op;
    public override string Name => Function.Kernel;

    public override void Run(IBackend backend, in OpArgs args) => backend.Binary(Function, args[0], args[1], args.Output);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        for (int i = 0; i < output.Length; i++) output[i] = Function.Reference(inputs[0][i], inputs[1][i]);
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        Node? da = null, db = null;
        switch (Function)
        {
            case Backends.Add:
                da = dy; db = dy; break;
            case Sub:
                da = dy; db = b.RequiresGrad ? g.Scale(dy, -1f) : null; break;
            case Mul:
                da = a.RequiresGrad ? g.Binary(new Mul(), dy, b) : null;
                db = b.RequiresGrad ? g.Binary(new Mul(), dy, a) : null;
                break;
            case Max or Min:
            {
                // TensorFlow's rule: the gradient goes to the operand that won, to a on a tie; dy − da is exactly 0 or dy.
                Node mask = Function is Max ? g.Binary(new GreaterEqual(), a, b) : g.Binary(new GreaterEqual(), b, a);
                Node toA = g.Binary(new Mul(), dy, mask);
                da = toA;
                db = b.RequiresGrad ? g.Binary(new Sub(), dy, toA) : null;
                break;
            }
            default:
                throw new InvalidOperationException($"Op {Name} has no gradient rule.");
        }
        return [a.RequiresGrad ? da : null, b.RequiresGrad ? db : null];
    }
}
