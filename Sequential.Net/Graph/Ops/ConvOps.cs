using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// y(N, OH, OW, F) = f(conv(x(N, H, W, C), K(kh, kw, C, F)) + b(F)), channels last, TensorFlow's padding, one
/// backend call (<see cref="IBackend.Conv2DForward{TOp}"/>: bias and f in the GEMM epilogue). As for
/// <see cref="DenseOp{TOp}"/>, f must have a derivative readable at the output (identity, ReLU, leaky ReLU ≥ 0);
/// the backward is dz = dy·f'(y), dx = the input gradient of dz, dK = the filter gradient, db = Σ dz.
/// Inputs: x, kernel, and the bias unless <see cref="HasBias"/> is false (then f is the identity).
/// </summary>
internal sealed class Conv2DOp<TOp>(TOp op, ConvSpec spec, bool hasBias) : Op where TOp : struct, IUnaryOp
{
    public TOp Function { get; } = op;
    public ConvSpec Spec { get; } = spec;
    public bool HasBias { get; } = hasBias;

    public override string Name => "conv2d_" + Function.Kernel;

    /// <summary>Checks the shapes and adds the node: x (N, H, W, C), kernel (kh, kw, C, F), bias (F) or null.</summary>
    public static Node Emit(GraphBuilder g, TOp op, ConvSpec spec, Node x, Node kernel, Node? bias)
    {
        var (_, _, _, c) = ConvSpec.Dims(x, 1, "conv2d");
        if (kernel.Batched || kernel.Shape.Length != 4 || kernel.Shape[0] != spec.KernelHeight || kernel.Shape[1] != spec.KernelWidth || kernel.Shape[2] != c)
            throw new InvalidOperationException($"conv2d: expected a kernel of shape ({spec.KernelHeight}, {spec.KernelWidth}, {c}, filters). Received: {Tensor.FormatShape(kernel.Shape)}.");
        int filters = kernel.Shape[3];
        if (bias != null && (bias.Batched || bias.Shape.Length != 1 || bias.Shape[0] != filters))
            throw new InvalidOperationException($"conv2d: expected a bias of shape ({filters},). Received: {Tensor.FormatShape(bias.Shape)}.");
        if (bias == null && typeof(TOp) != typeof(Identity))
            throw new InvalidOperationException($"conv2d: the activation {op.Kernel} is fused only with a bias.");
        if (!DenseOp<TOp>.DerivativeFromOutput(op))
            throw new InvalidOperationException($"conv2d: the activation {op.Kernel} cannot be fused (its derivative needs the pre-activation).");
        Node[] inputs = bias == null ? [x, kernel] : [x, kernel, bias];
        return g.Add(new Conv2DOp<TOp>(op, spec, bias != null), inputs, spec.OutputShape(x, filters, "conv2d"), x.Batched);
    }

    public override void Run(IBackend backend, in OpArgs args)
        => backend.Conv2DForward(Function, args[0], args[1], HasBias ? args[2] : null, args.Output, Spec.Conv(args.Node.Inputs[0], args.Batch, args.Node.Cols));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var g = Spec.Conv(node.Inputs[0], batch, node.Cols);
        ConvReference.Forward(inputs[0], inputs[1], g, output);
        for (int i = 0; i < output.Length; i++)
            output[i] = Function.Reference(output[i] + (HasBias ? inputs[2][i % g.OutChannels] : 0));
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0], kernel = node.Inputs[1];
        // f' read at the output; ReLU followed by max pooling folds into the pooling's backward.
        Node dz = typeof(TOp) == typeof(Identity) ? dy
            : (typeof(TOp) == typeof(Relu) ? Pool2DGradOp.FuseRelu(g, node, dy) : null) ?? g.UnaryGrad(Function, node, node, dy);
        Node? dx = x.RequiresGrad ? g.Add(new Conv2DInputGradOp(Spec), [dz, kernel, x], x.Shape, x.Batched) : null;
        if (HasBias && kernel.RequiresGrad && node.Inputs[2].RequiresGrad)
        {
            // One pass over dz for both: dK (PatchSize, F) then db (F) in one buffer, read through two aliases.
            int patch = kernel.Size(1) / kernel.Shape[3], filters = kernel.Shape[3];
            Node both = g.Add(new Conv2DFilterGradOp(Spec, withBias: true), [x, dz], [patch + 1, filters], batched: false);
            return [dx, g.Add(new ReshapeOp(), [both], kernel.Shape, batched: false), g.Add(new RowOfOp(patch), [both], [filters], batched: false)];
        }
        Node? dk = kernel.RequiresGrad ? g.Add(new Conv2DFilterGradOp(Spec), [x, dz], kernel.Shape, batched: false) : null;
        if (!HasBias) return [dx, dk];
        Node bias = node.Inputs[2];
        return [dx, dk, bias.RequiresGrad ? g.SumRows(dz) : null];
    }
}

/// <summary>dx of a convolution: inputs dy, kernel, and x (for its shape only; not read).</summary>
internal sealed class Conv2DInputGradOp(ConvSpec spec) : Op
{
    public ConvSpec Spec { get; } = spec;
    public override string Name => "conv2d_input_grad";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.Conv2DBackwardInput(args[0], args[1], args.Output, Spec.Conv(args.Node.Inputs[2], args.Batch, args.Node.Inputs[0].Cols));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => ConvReference.BackwardInput(inputs[0], inputs[1], Spec.Conv(node.Inputs[2], batch, node.Inputs[0].Cols), output);
}

/// <summary>
/// dK(kh, kw, C, F) of a convolution: inputs x and dy. With <see cref="WithBias"/> the output is (PatchSize + 1, F):
/// dK's rows, then the bias gradient Σ_rows dy as the last row, from the same pass over dy.
/// </summary>
internal sealed class Conv2DFilterGradOp(ConvSpec spec, bool withBias = false) : Op
{
    public ConvSpec Spec { get; } = spec;
    public bool WithBias { get; } = withBias;
    public override string Name => WithBias ? "conv2d_filter_bias_grad" : "conv2d_filter_grad";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.Conv2DBackwardFilter(args[0], args[1], args.Output, Spec.Conv(args.Node.Inputs[0], args.Batch, args.Node.Inputs[1].Cols), WithBias);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var g = Spec.Conv(node.Inputs[0], batch, node.Inputs[1].Cols);
        double[] dk = WithBias ? new double[g.KernelLength] : output;
        ConvReference.BackwardFilter(inputs[0], inputs[1], g, dk);
        if (!WithBias) return;
        dk.CopyTo(output, 0);
        int n = g.OutChannels;
        Array.Clear(output, dk.Length, n);
        for (long i = 0; i < (long)g.Rows * n; i++) output[dk.Length + i % n] += inputs[1][i];
    }
}
