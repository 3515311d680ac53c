using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// The static part of a convolution or pooling (window, strides, dilation, padding mode); <see cref="Conv"/>
/// and <see cref="Pool"/> bind it to a node's (batch, height, width, channels) at run time. A node holds an
/// image batch either with a batch axis (shape (H, W, C)) or without (shape (N, H, W, C), as in the op tests).
/// </summary>
internal sealed record ConvSpec(int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth, string Padding)
{
    /// <summary>(batch, height, width, channels) of an image node.</summary>
    public static (int N, int H, int W, int C) Dims(Node x, int batch, string who)
    {
        int[] s = x.Shape;
        if (x.Batched && s.Length == 3) return (batch, s[0], s[1], s[2]);
        if (!x.Batched && s.Length == 4) return (s[0], s[1], s[2], s[3]);
        throw new InvalidOperationException($"{who}: expected images (batch, height, width, channels). Received: {Tensor.FormatShape(s)}{(x.Batched ? " with a batch axis" : "")}.");
    }

    /// <summary>Output (height, width) and padding before, TensorFlow's rule on each axis.</summary>
    public (int OutH, int OutW, int PadTop, int PadLeft) Output(int h, int w, string who)
    {
        var (oh, top) = Backends.Padding.Axis(Padding, h, KernelHeight, StrideHeight, DilationHeight, who, "height");
        var (ow, left) = Backends.Padding.Axis(Padding, w, KernelWidth, StrideWidth, DilationWidth, who, "width");
        return (oh, ow, top, left);
    }

    /// <summary>The convolution of x (node) into <paramref name="filters"/> channels.</summary>
    public ConvGeometry Conv(Node x, int batch, int filters)
    {
        var (n, h, w, c) = Dims(x, batch, "conv2d");
        var (oh, ow, top, left) = Output(h, w, "conv2d");
        return new ConvGeometry(n, h, w, c, oh, ow, filters, KernelHeight, KernelWidth, StrideHeight, StrideWidth, DilationHeight, DilationWidth, top, left);
    }

    /// <summary>The pooling of x (node).</summary>
    public PoolGeometry Pool(Node x, int batch)
    {
        var (n, h, w, c) = Dims(x, batch, "pool2d");
        var (oh, ow, top, left) = Output(h, w, "pool2d");
        return new PoolGeometry(n, h, w, c, oh, ow, KernelHeight, KernelWidth, StrideHeight, StrideWidth, top, left);
    }

    /// <summary>The output node shape for an input node shape (batch axis kept as it is).</summary>
    public int[] OutputShape(Node x, int channels, string who)
    {
        var (n, h, w, _) = Dims(x, 1, who);
        var (oh, ow, _, _) = Output(h, w, who);
        return x.Batched ? [oh, ow, channels] : [n, oh, ow, channels];
    }

    public override string ToString() => $"{KernelHeight}x{KernelWidth}/s{StrideHeight}x{StrideWidth}/d{DilationHeight}x{DilationWidth}/{Padding}";
}
