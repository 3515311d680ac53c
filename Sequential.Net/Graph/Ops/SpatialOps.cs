using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// Zero padding (positive amounts) or cropping (negative amounts) of x(N, H, W, C), channels last:
/// (N, Top + H + Bottom, Left + W + Right, C). ZeroPadding2D and Cropping2D; the gradient is the same op with
/// the amounts negated (a crop of the padded gradient, or a zero padding of the cropped one).
/// </summary>
internal sealed class Pad2DOp(int top, int bottom, int left, int right) : Op
{
    public int Top { get; } = top;
    public int Bottom { get; } = bottom;
    public int Left { get; } = left;
    public int Right { get; } = right;

    public override string Name => Top >= 0 && Bottom >= 0 && Left >= 0 && Right >= 0 ? "zero_pad2d" : "crop2d";

    public static Node Emit(GraphBuilder g, Node x, int top, int bottom, int left, int right)
    {
        var op = new Pad2DOp(top, bottom, left, right);
        var (n, h, w, c) = ConvSpec.Dims(x, 1, op.Name);
        int oh = h + top + bottom, ow = w + left + right;
        if (oh <= 0 || ow <= 0)
            throw new InvalidOperationException($"{op.Name}: expected a non-empty output. Received: input {h}x{w} with (top, bottom, left, right) = ({top}, {bottom}, {left}, {right}), giving {oh}x{ow}.");
        return g.Add(op, [x], x.Batched ? [oh, ow, c] : [n, oh, ow, c], x.Batched);
    }

    private PadGeometry Geometry(Node x, int batch)
    {
        var (n, h, w, c) = ConvSpec.Dims(x, batch, Name);
        return new PadGeometry(n, h, w, c, h + Top + Bottom, w + Left + Right, Top, Left);
    }

    public override void Run(IBackend backend, in OpArgs args) => backend.Pad2D(args[0], args.Output, Geometry(args.Node.Inputs[0], args.Batch));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var g = Geometry(node.Inputs[0], batch);
        for (int b = 0; b < g.Batch; b++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int c = 0; c < g.Channels; c++)
                    {
                        int iy = oy - g.Top, ix = ox - g.Left;
                        bool inside = iy >= 0 && iy < g.InHeight && ix >= 0 && ix < g.InWidth;
                        output[(((long)b * g.OutHeight + oy) * g.OutWidth + ox) * g.Channels + c]
                            = inside ? inputs[0][(((long)b * g.InHeight + iy) * g.InWidth + ix) * g.Channels + c] : 0;
                    }
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
        => [node.Inputs[0].RequiresGrad ? Emit(g, dy, -Top, -Bottom, -Left, -Right) : null];
}

/// <summary>Nearest upsampling of x(N, H, W, C) by (SizeHeight, SizeWidth): every row and column repeated.</summary>
internal sealed class UpSample2DOp(int sizeHeight, int sizeWidth) : Op
{
    public int SizeHeight { get; } = sizeHeight;
    public int SizeWidth { get; } = sizeWidth;
    public override string Name => "upsample2d";

    public static Node Emit(GraphBuilder g, Node x, int sizeHeight, int sizeWidth)
    {
        var (n, h, w, c) = ConvSpec.Dims(x, 1, "upsample2d");
        int oh = checked(h * sizeHeight), ow = checked(w * sizeWidth);
        return g.Add(new UpSample2DOp(sizeHeight, sizeWidth), [x], x.Batched ? [oh, ow, c] : [n, oh, ow, c], x.Batched);
    }

    /// <summary>The geometry of upsampling x (node) by (sh, sw).</summary>
    internal static UpSampleGeometry Geometry(Node x, int batch, int sh, int sw)
    {
        var (n, h, w, c) = ConvSpec.Dims(x, batch, "upsample2d");
        return new UpSampleGeometry(n, h, w, c, sh, sw);
    }

    public override void Run(IBackend backend, in OpArgs args)
        => backend.UpSample2D(args[0], args.Output, Geometry(args.Node.Inputs[0], args.Batch, SizeHeight, SizeWidth));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var g = Geometry(node.Inputs[0], batch, SizeHeight, SizeWidth);
        for (int b = 0; b < g.Batch; b++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int c = 0; c < g.Channels; c++)
                        output[(((long)b * g.OutHeight + oy) * g.OutWidth + ox) * g.Channels + c]
                            = inputs[0][(((long)b * g.InHeight + oy / SizeHeight) * g.InWidth + ox / SizeWidth) * g.Channels + c];
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0];
        return [x.RequiresGrad ? g.Add(new UpSample2DGradOp(SizeHeight, SizeWidth), [x, dy], x.Shape, x.Batched) : null];
    }
}

/// <summary>dx of <see cref="UpSample2DOp"/>: inputs x (for the shape; not read) and dy; each dx cell sums its copies.</summary>
internal sealed class UpSample2DGradOp(int sizeHeight, int sizeWidth) : Op
{
    public int SizeHeight { get; } = sizeHeight;
    public int SizeWidth { get; } = sizeWidth;
    public override string Name => "upsample2d_grad";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.UpSample2DBackward(args[1], args.Output, UpSample2DOp.Geometry(args.Node.Inputs[0], args.Batch, SizeHeight, SizeWidth));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var g = UpSample2DOp.Geometry(node.Inputs[0], batch, SizeHeight, SizeWidth);
        Array.Clear(output);
        for (int b = 0; b < g.Batch; b++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int c = 0; c < g.Channels; c++)
                        output[(((long)b * g.InHeight + oy / SizeHeight) * g.InWidth + ox / SizeWidth) * g.Channels + c]
                            += inputs[1][(((long)b * g.OutHeight + oy) * g.OutWidth + ox) * g.Channels + c];
    }
}

/// <summary>
/// y(N, H, W, C) = x · s with s (N, 1, 1, C) broadcast over each sample's pixels: SpatialDropout2D's mask. The
/// scale is a constant (a dropout mask has no gradient), so only x gets one: dx = dy · s.
/// </summary>
internal sealed class ScaleChannelsOp : Op
{
    public override string Name => "scale_channels";

    public static Node Emit(GraphBuilder g, Node x, Node scale)
    {
        var (n, _, _, c) = ConvSpec.Dims(x, 1, "scale_channels");
        int[] expected = x.Batched ? [1, 1, c] : [n, 1, 1, c];
        if (scale.Batched != x.Batched || !scale.Shape.SequenceEqual(expected))
            throw new InvalidOperationException($"scale_channels: expected a scale of shape {Tensor.FormatShape(expected)}{(x.Batched ? " with a batch axis" : "")}. Received: {Tensor.FormatShape(scale.Shape)}.");
        return g.Add(new ScaleChannelsOp(), [x, scale], x.Shape, x.Batched);
    }

    public override void Run(IBackend backend, in OpArgs args)
    {
        var (n, h, w, c) = ConvSpec.Dims(args.Node.Inputs[0], args.Batch, Name);
        backend.ScaleChannels(args[0], args[1], args.Output, n, h * w, c);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var (n, h, w, c) = ConvSpec.Dims(node.Inputs[0], batch, Name);
        long pixels = (long)h * w;
        for (long i = 0; i < output.Length; i++)
            output[i] = inputs[0][i] * inputs[1][i / (pixels * c) * c + i % c];
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
        => [node.Inputs[0].RequiresGrad ? Emit(g, dy, node.Inputs[1]) : null, null];
}
