using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// The grouped convolution y(N, OH, OW, F) of x(N, H, W, C) with K(kh, kw, C/groups, F), channels last,
/// TensorFlow's padding, no bias (<see cref="IBackend.GroupedConv2DForward"/>). DepthwiseConv2D is groups = C
/// with its (kh, kw, C, M) kernel viewed as (kh, kw, 1, C·M); Conv2D(groups &gt; 1) uses it directly.
/// Backward: dx and dK by the backend's two grouped gradient passes.
/// </summary>
internal sealed class GroupedConv2DOp(ConvSpec spec, int groups) : Op
{
    public ConvSpec Spec { get; } = spec;
    public int Groups { get; } = groups;

    public override string Name => "grouped_conv2d";

    /// <summary>Checks the shapes and adds the node: x (N, H, W, C), kernel (kh, kw, C/groups, F) with F divisible by groups.</summary>
    public static Node Emit(GraphBuilder g, ConvSpec spec, int groups, Node x, Node kernel)
    {
        var (_, _, _, c) = ConvSpec.Dims(x, 1, "grouped_conv2d");
        if (groups <= 0 || c % groups != 0)
            throw new InvalidOperationException($"grouped_conv2d: expected input channels divisible by groups. Received: groups={groups}, input channels {c}.");
        if (kernel.Batched || kernel.Shape.Length != 4 || kernel.Shape[0] != spec.KernelHeight || kernel.Shape[1] != spec.KernelWidth
            || kernel.Shape[2] != c / groups || kernel.Shape[3] % groups != 0)
            throw new InvalidOperationException($"grouped_conv2d: expected a kernel of shape ({spec.KernelHeight}, {spec.KernelWidth}, {c / groups}, a multiple of {groups}). Received: {Tensor.FormatShape(kernel.Shape)}.");
        int filters = kernel.Shape[3];
        return g.Add(new GroupedConv2DOp(spec, groups), [x, kernel], spec.OutputShape(x, filters, "grouped_conv2d"), x.Batched);
    }

    public override void Run(IBackend backend, in OpArgs args)
        => backend.GroupedConv2DForward(args[0], args[1], args.Output, Spec.Conv(args.Node.Inputs[0], args.Batch, args.Node.Cols), Groups);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => GroupedConvReference.Forward(inputs[0], inputs[1], Spec.Conv(node.Inputs[0], batch, node.Cols), Groups, output);

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0], kernel = node.Inputs[1];
        Node? dx = x.RequiresGrad ? g.Add(new GroupedConv2DInputGradOp(Spec, Groups), [dy, kernel, x], x.Shape, x.Batched) : null;
        Node? dk = kernel.RequiresGrad ? g.Add(new GroupedConv2DFilterGradOp(Spec, Groups), [x, dy], kernel.Shape, batched: false) : null;
        return [dx, dk];
    }
}

/// <summary>dx of a grouped convolution: inputs dy, kernel, and x (for its shape only; not read).</summary>
internal sealed class GroupedConv2DInputGradOp(ConvSpec spec, int groups) : Op
{
    public ConvSpec Spec { get; } = spec;
    public int Groups { get; } = groups;
    public override string Name => "grouped_conv2d_input_grad";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.GroupedConv2DBackwardInput(args[0], args[1], args.Output, Spec.Conv(args.Node.Inputs[2], args.Batch, args.Node.Inputs[0].Cols), Groups);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => GroupedConvReference.BackwardInput(inputs[0], inputs[1], Spec.Conv(node.Inputs[2], batch, node.Inputs[0].Cols), Groups, output);
}

/// <summary>dK(kh, kw, C/groups, F) of a grouped convolution: inputs x and dy.</summary>
internal sealed class GroupedConv2DFilterGradOp(ConvSpec spec, int groups) : Op
{
    public ConvSpec Spec { get; } = spec;
    public int Groups { get; } = groups;
    public override string Name => "grouped_conv2d_filter_grad";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.GroupedConv2DBackwardFilter(args[0], args[1], args.Output, Spec.Conv(args.Node.Inputs[0], args.Batch, args.Node.Inputs[1].Cols), Groups);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => GroupedConvReference.BackwardFilter(inputs[0], inputs[1], Spec.Conv(node.Inputs[0], batch, node.Inputs[1].Cols), Groups, output);
}
