using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// 2-D max or average pooling of x(N, H, W, C), channels last, TensorFlow's padding (padded cells are not part
/// of a window: never the max, not counted in the average). Global pooling is the window of the whole image.
/// </summary>
internal sealed class Pool2DOp(PoolKind kind, ConvSpec spec) : Op
{
    public PoolKind Kind { get; } = kind;
    public ConvSpec Spec { get; } = spec;

    public override string Name => Kind == PoolKind.Max ? "max_pool2d" : "avg_pool2d";

    public static Node Emit(GraphBuilder g, PoolKind kind, ConvSpec spec, Node x)
    {
        var (_, _, _, c) = ConvSpec.Dims(x, 1, kind == PoolKind.Max ? "max_pool2d" : "avg_pool2d");
        int[] shape = spec.OutputShape(x, c, "pool2d");
        if (kind == PoolKind.Max && Conv2DReluMaxPoolOp.Applies(x)) return Conv2DReluMaxPoolOp.Emit(g, spec, x, shape);
        return g.Add(new Pool2DOp(kind, spec), [x], shape, x.Batched);
    }

    public override void Run(IBackend backend, in OpArgs args) => backend.Pool2D(Kind, args[0], args.Output, Spec.Pool(args.Node.Inputs[0], args.Batch));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => PoolReference.Forward(Kind, inputs[0], Spec.Pool(node.Inputs[0], batch), output);

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0];
        return [x.RequiresGrad ? g.Add(new Pool2DGradOp(Kind, Spec), [x, dy], x.Shape, x.Batched) : null];
    }
}

/// <summary>
/// dx of <see cref="Pool2DOp"/>: inputs x and dy. With <see cref="PoolKind.MaxAfterRelu"/> it is also ReLU's
/// backward for an x that is a ReLU's output (see <see cref="FuseRelu"/>).
/// </summary>
internal sealed class Pool2DGradOp(PoolKind kind, ConvSpec spec) : Op
{
    public PoolKind Kind { get; } = kind;
    public ConvSpec Spec { get; } = spec;

    public override string Name => Kind switch
    {
        PoolKind.Max => "max_pool2d_grad",
        PoolKind.MaxAfterRelu => "max_pool2d_relu_grad",
        _ => "avg_pool2d_grad",
    };

    /// <summary>
    /// The gradient through ReLU of <paramref name="reluOutput"/> (a node y = relu(…)) given its gradient
    /// <paramref name="dy"/>, as one op when dy is exactly the max-pooling gradient of y (max pooling is then
    /// y's only consumer on the loss's path): relu_grad(max_pool2d_grad(y, dp)) = max_pool2d_relu_grad(y, dp),
    /// the same numbers without the image-sized intermediate. Null otherwise: the caller emits relu_grad.
    /// The unfused max_pool2d_grad node is left without readers and is not part of any plan.
    /// </summary>
    public static Node? FuseRelu(GraphBuilder g, Node reluOutput, Node dy)
    {
        if (dy.Op is not Pool2DGradOp { Kind: PoolKind.Max } pool || dy.Inputs[0] != reluOutput) return null;
        return g.Add(new Pool2DGradOp(PoolKind.MaxAfterRelu, pool.Spec), [reluOutput, dy.Inputs[1]], reluOutput.Shape, reluOutput.Batched);
    }

    public override void Run(IBackend backend, in OpArgs args) => backend.Pool2DBackward(Kind, args[0], args[1], args.Output, Spec.Pool(args.Node.Inputs[0], args.Batch));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => PoolReference.Backward(Kind, inputs[0], inputs[1], Spec.Pool(node.Inputs[0], batch), output);
}

/// <summary>Float64 pooling by definition, for the op tests.</summary>
internal static class PoolReference
{
    private static void ForEachWindow(in PoolGeometry g, Action<long, long[]> visit)
    {
        for (int b = 0; b < g.Batch; b++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int c = 0; c < g.Channels; c++)
                    {
                        var cells = new List<long>();
                        for (int py = 0; py < g.PoolHeight; py++)
                            for (int px = 0; px < g.PoolWidth; px++)
                            {
                                int iy = oy * g.StrideHeight - g.PadTop + py, ix = ox * g.StrideWidth - g.PadLeft + px;
                                if (iy >= 0 && iy < g.InHeight && ix >= 0 && ix < g.InWidth)
                                    cells.Add((((long)b * g.InHeight + iy) * g.InWidth + ix) * g.Channels + c);
                            }
                        visit((((long)b * g.OutHeight + oy) * g.OutWidth + ox) * g.Channels + c, [.. cells]);
                    }
    }

    public static void Forward(PoolKind kind, double[] x, PoolGeometry g, double[] y)
        => ForEachWindow(g, (yi, cells) => y[yi] = kind != PoolKind.Average ? cells.Max(i => x[i]) : cells.Average(i => x[i]));

    public static void Backward(PoolKind kind, double[] x, double[] dy, PoolGeometry g, double[] dx)
    {
        Array.Clear(dx);
        ForEachWindow(g, (yi, cells) =>
        {
            if (kind == PoolKind.Average)
                foreach (long i in cells) dx[i] += dy[yi] / cells.Length;
            else
            {
                long best = cells[0];
                foreach (long i in cells) if (x[i] > x[best]) best = i;
                dx[best] += kind == PoolKind.MaxAfterRelu && !(x[best] > 0) ? 0 : dy[yi];   // ReLU's derivative at the max
            }
        });
    }
}
