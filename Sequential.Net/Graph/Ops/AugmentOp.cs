using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// A random per-sample affine warp of (H, W, C) images (<see cref="IBackend.AffineWarp"/>), drawn at
/// (seed, RNG step, stream). Augmentation sits before the trainable layers, so the op has no gradient.
/// </summary>
internal sealed class AugmentOp(AugmentSpec spec, uint stream) : Op
{
    private readonly AugmentSpec _spec = spec;
    public uint Stream { get; } = stream;
    public override string Name => "augment";

    public override void Run(IBackend backend, in OpArgs args)
    {
        var (batch, h, w, c) = Dims(args.Node, args.Batch);
        backend.AffineWarp(args[0], args.Output, batch, h, w, c, _spec, args.State.Seed, Stream, args.State.Counters);
    }

    /// <summary>
    /// Not an independent float64 computation: it reuses the host float32 math (<see cref="AugmentMath"/>) on
    /// the rounded inputs, since the transform itself is defined in float32.
    /// </summary>
    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        (batch, int h, int w, int c) = Dims(node, batch);
        int image = h * w * c;
        var src = inputs[0].Select(v => (float)v).ToArray();
        var dst = new float[src.Length];
        for (int b = 0; b < batch; b++)
        {
            var t = AugmentMath.Draw(_spec, h, w, ctx.Seed, (uint)ctx.RngStep, Stream, b);
            AugmentMath.Warp(src.AsSpan(b * image, image), dst.AsSpan(b * image, image), h, w, c, _spec, t);
        }
        for (int i = 0; i < output.Length; i++) output[i] = dst[i];
    }

    /// <summary>(batch, H, W, C): a batched node is (H, W, C) per sample, an unbatched one (B, H, W, C).</summary>
    private static (int Batch, int Height, int Width, int Channels) Dims(Node node, int batch)
    {
        var s = node.Shape;
        return node.Batched ? (batch, s[0], s[1], s[2]) : (s[0], s[1], s[2], s[3]);
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy) => [null];
}
