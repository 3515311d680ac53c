using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// The transposed convolution y(N, OH, OW, F) of x(N, H, W, C) with K(kh, kw, F, C) (Keras's layout for
/// Conv2DTranspose), as TensorFlow's conv2d_transpose computes it: y is the input gradient of the convolution
/// of an (OH, OW, F) image into (H, W, C) by K under <see cref="Spec"/>, with x in the place of that
/// convolution's output gradient. So it runs on <see cref="IBackend.Conv2DBackwardInput"/> and its gradients are
/// the other two passes of the same convolution: dx = conv(dy, K) and dK = the filter gradient of (dy, x).
/// No bias or activation: the layer adds those as their own ops.
/// </summary>
internal sealed class Conv2DTransposeOp(ConvSpec spec) : Op
{
    public ConvSpec Spec { get; } = spec;

    public override string Name => "conv2d_transpose";

    /// <summary>
    /// Checks the shapes and adds the node: x (N, H, W, C) or batched (H, W, C), kernel (kh, kw, F, C), output
    /// (<paramref name="outHeight"/>, <paramref name="outWidth"/>), whose convolution under the spec must give (H, W).
    /// </summary>
    public static Node Emit(GraphBuilder g, ConvSpec spec, Node x, Node kernel, int outHeight, int outWidth)
    {
        var (n, h, w, c) = ConvSpec.Dims(x, 1, "conv2d_transpose");
        if (kernel.Batched || kernel.Shape.Length != 4 || kernel.Shape[0] != spec.KernelHeight || kernel.Shape[1] != spec.KernelWidth || kernel.Shape[3] != c)
            throw new InvalidOperationException($"conv2d_transpose: expected a kernel of shape ({spec.KernelHeight}, {spec.KernelWidth}, filters, {c}). Received: {Tensor.FormatShape(kernel.Shape)}.");
        var (backH, backW, _, _) = spec.Output(outHeight, outWidth, "conv2d_transpose");
        if (backH != h || backW != w)
            throw new InvalidOperationException($"conv2d_transpose: an output of ({outHeight}, {outWidth}) convolves back to ({backH}, {backW}) under {spec}, expected the input's ({h}, {w}).");
        int filters = kernel.Shape[2];
        int[] shape = x.Batched ? [outHeight, outWidth, filters] : [n, outHeight, outWidth, filters];
        return g.Add(new Conv2DTransposeOp(spec), [x, kernel], shape, x.Batched);
    }

    /// <summary>The convolution this op transposes: its input is this op's output node, its output x.</summary>
    private ConvGeometry Geometry(Node node, int batch) => Spec.Conv(node, batch, node.Inputs[0].Cols);

    public override void Run(IBackend backend, in OpArgs args)
        => backend.Conv2DBackwardInput(args[0], args[1], args.Output, Geometry(args.Node, args.Batch));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => ConvReference.BackwardInput(inputs[0], inputs[1], Geometry(node, batch), output);

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0], kernel = node.Inputs[1];
        Node? dx = x.RequiresGrad ? Conv2DOp<Identity>.Emit(g, new Identity(), Spec, dy, kernel, null) : null;
        Node? dk = kernel.RequiresGrad ? g.Add(new Conv2DFilterGradOp(Spec), [dy, x], kernel.Shape, batched: false) : null;
        return [dx, dk];
    }
}
