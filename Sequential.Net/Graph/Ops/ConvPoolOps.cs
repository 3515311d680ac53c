using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// y = max_pool(relu(conv(x) + b)) as one op (<see cref="IBackend.Conv2DReluMaxPool"/>), emitted by
/// <see cref="Pool2DOp.Emit"/> in place of max pooling over a <see cref="Conv2DOp{TOp}"/> with ReLU and a bias
/// when <see cref="Applies"/> holds: x needs no gradient (a first layer: no input gradient to compute), one image
/// fits <see cref="MaxImageFloats"/>, and the patch is short (k ≤ <see cref="MaxPatch"/>), so recomputing the convolution in the backward costs less than
/// writing and reading its output, an image-sized tensor, through memory four times. Inputs: x, kernel, bias.
/// The separate convolution node stays in the graph and runs only where something else reads it.
/// </summary>
internal sealed class Conv2DReluMaxPoolOp(ConvSpec conv, ConvSpec pool) : Op
{
    /// <summary>The longest patch (kh·kw·C) fused: below it the recomputed GEMM is cheaper than the memory traffic it saves (a 2·k-flop product against ~20 bytes of traffic per output value).</summary>
    internal const int MaxPatch = 128;

    /// <summary>
    /// The most floats one image may need in a backend's workspace (patches, output, its gradient and a ones row:
    /// pixels·(k + 2F + 1)): the CUDA backend works a whole image at a time in its 16 MB convolution workspace
    /// (CudaBackend.ConvWorkspaceFloats). Larger images take the separate ops, which work in blocks of rows.
    /// </summary>
    internal const long MaxImageFloats = 1 << 22;

    public ConvSpec ConvSpec { get; } = conv;
    public ConvSpec PoolSpec { get; } = pool;
    public override string Name => "conv2d_relu_max_pool2d";

    /// <summary>Whether max pooling over <paramref name="convOutput"/> fuses with it.</summary>
    public static bool Applies(Node convOutput)
    {
        if (convOutput.Op is not Conv2DOp<Relu> { HasBias: true } || convOutput.Inputs[0].RequiresGrad) return false;
        Node kernel = convOutput.Inputs[1];
        int filters = kernel.Shape[3], patch = kernel.Size(1) / filters;
        var (_, oh, ow, _) = ConvSpec.Dims(convOutput, 1, "conv2d");
        return patch <= MaxPatch && ImageFloats((long)oh * ow, patch, filters) <= MaxImageFloats;
    }

    /// <summary>Workspace floats of one image: patches (pixels, k), output and its gradient (pixels, F) and a ones row.</summary>
    internal static long ImageFloats(long pixels, int patch, int filters) => pixels * (patch + 2L * filters + 1);

    /// <summary>The fused node for max pooling <paramref name="spec"/> over <paramref name="convOutput"/> (<see cref="Applies"/> must hold).</summary>
    public static Node Emit(GraphBuilder g, ConvSpec spec, Node convOutput, int[] pooledShape)
    {
        var conv = (Conv2DOp<Relu>)convOutput.Op;
        return g.Add(new Conv2DReluMaxPoolOp(conv.Spec, spec), convOutput.Inputs, pooledShape, convOutput.Batched);
    }

    /// <summary>The convolution and pooling geometries at <paramref name="batch"/>.</summary>
    internal (ConvGeometry Conv, PoolGeometry Pool) Geometry(Node node, int batch)
    {
        Node x = node.Inputs[0], kernel = node.Inputs[1];
        var c = ConvSpec.Conv(x, batch, kernel.Shape[3]);
        var (oh, ow, top, left) = PoolSpec.Output(c.OutHeight, c.OutWidth, "pool2d");
        return (c, new PoolGeometry(c.Batch, c.OutHeight, c.OutWidth, c.OutChannels, oh, ow,
            PoolSpec.KernelHeight, PoolSpec.KernelWidth, PoolSpec.StrideHeight, PoolSpec.StrideWidth, top, left));
    }

    public override void Run(IBackend backend, in OpArgs args)
    {
        var (conv, pool) = Geometry(args.Node, args.Batch);
        backend.Conv2DReluMaxPool(args[0], args[1], args[2], args.Output, conv, pool);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var (conv, pool) = Geometry(node, batch);
        PoolReference.Forward(PoolKind.Max, ReluConv(inputs, conv), pool, output);
    }

    /// <summary>relu(conv(x) + b) in float64.</summary>
    internal static double[] ReluConv(double[][] inputs, in ConvGeometry conv)
    {
        var z = new double[conv.OutputLength];
        ConvReference.Forward(inputs[0], inputs[1], conv, z);
        for (int i = 0; i < z.Length; i++) z[i] = Math.Max(0, z[i] + inputs[2][i % conv.OutChannels]);
        return z;
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node kernel = node.Inputs[1], bias = node.Inputs[2];
        if (!kernel.RequiresGrad && !bias.RequiresGrad) return [null, null, null];
        int filters = kernel.Shape[3], patch = kernel.Size(1) / filters;
        // dK (patch, F) then db (F) in one buffer, read through two aliases (as Conv2DOp's fused bias gradient).
        Node both = g.Add(new Conv2DReluMaxPoolFilterGradOp(this), [.. node.Inputs, dy], [patch + 1, filters], batched: false);
        return [null,
            kernel.RequiresGrad ? g.Add(new ReshapeOp(), [both], kernel.Shape, batched: false) : null,
            bias.RequiresGrad ? g.Add(new RowOfOp(patch), [both], [filters], batched: false) : null];
    }
}

/// <summary>(dK, db) of <see cref="Conv2DReluMaxPoolOp"/> as (PatchSize + 1, F): inputs x, kernel, bias and dy of the pooled output.</summary>
internal sealed class Conv2DReluMaxPoolFilterGradOp(Conv2DReluMaxPoolOp forward) : Op
{
    public Conv2DReluMaxPoolOp Forward { get; } = forward;
    public override string Name => "conv2d_relu_max_pool2d_filter_grad";

    public override void Run(IBackend backend, in OpArgs args)
    {
        var (conv, pool) = Forward.Geometry(args.Node, args.Batch);
        backend.Conv2DReluMaxPoolBackwardFilter(args[0], args[1], args[2], args[3], args.Output, conv, pool);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var (conv, pool) = Forward.Geometry(node, batch);
        double[] z = Conv2DReluMaxPoolOp.ReluConv(inputs, conv), dz = new double[z.Length], dk = new double[conv.KernelLength];
        PoolReference.Backward(PoolKind.MaxAfterRelu, z, inputs[3], pool, dz);
        ConvReference.BackwardFilter(inputs[0], dz, conv, dk);
        dk.CopyTo(output, 0);
        int n = conv.OutChannels;
        Array.Clear(output, dk.Length, n);
        for (int i = 0; i < dz.Length; i++) output[dk.Length + i % n] += dz[i];
    }
}
