using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// y(…, n) = f(x(…, k)·W(k, n) + b(n)): a Dense layer's forward as one backend call
/// (<see cref="IBackend.GemmBiasActivation{TOp}"/>), so the CPU applies bias and activation to each block of the
/// product while it is in cache instead of in two more passes over the output. Its values equal the unfused
/// MatMul → BiasAdd → f.
/// <para>
/// Only for activations whose derivative is a function of the output (<see cref="DerivativeFromOutput"/>):
/// the pre-activation z is never stored, and the backward computes dz = dy·f'(y) with f'(y) = f'(z), then
/// dx = dz·Wᵀ, dW = xᵀ·dz, db = Σ_rows dz. Other activations use f = identity here and their own op after it.
/// </para>
/// </summary>
internal sealed class DenseOp<TOp>(TOp op) : Op where TOp : struct, IUnaryOp
{
    public TOp Function { get; } = op;

    public override string Name => "dense_" + Function.Kernel;

    /// <summary>
    /// True when f'(f(z)) = f'(z) for every z, so the gradient can be taken at the output: identity, ReLU, and
    /// leaky ReLU with a slope ≥ 0 (their derivatives depend only on the sign, which f keeps).
    /// </summary>
    public static bool DerivativeFromOutput(in TOp op)
        => typeof(TOp) == typeof(Identity) || typeof(TOp) == typeof(Relu)
           || (op is LeakyRelu leaky && leaky.NegativeSlope >= 0f);

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node x = args.Node.Inputs[0];
        backend.GemmBiasActivation(Function, x.Rows(args.Batch), args.Node.Cols, x.Cols, args[0], args[1], args[2], args.Output);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int k = node.Inputs[0].Cols, n = node.Cols, m = output.Length / Math.Max(1, n);
        double[] x = inputs[0], w = inputs[1], b = inputs[2];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += x[i * k + p] * w[p * n + j];
                output[i * n + j] = Function.Reference(s + b[j]);
            }
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0], w = node.Inputs[1], b = node.Inputs[2];
        // f'(z) read at the output y (see DerivativeFromOutput): UnaryGrad(f, x: y, y, dy).
        Node dz = typeof(TOp) == typeof(Identity) ? dy : g.UnaryGrad(Function, node, node, dy);
        Node? dx = null;
        if (x.RequiresGrad)
        {
            dx = g.MatMul(dz, w, false, true);                   // (…, n)·(n, k)ᵀ → (…, k)
            if (dx.Batched != x.Batched || dx.InnerSize != x.InnerSize) dx = g.Reshape(dx, x.Shape);
        }
        Node? dw = w.RequiresGrad ? g.MatMul(x, dz, true, false) : null;   // (…, k)ᵀ·(…, n) → (k, n)
        Node? db = b.RequiresGrad ? g.SumRows(dz) : null;
        return [dx, dw, db];
    }
}
