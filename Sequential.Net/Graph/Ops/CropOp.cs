using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// Crops (H, W, C) images to (spec.Height, spec.Width, C) (<see cref="IBackend.CropResize"/>): a random window
/// shared by the batch, drawn at (seed, RNG step, stream) with the layer's own seed when it has one, or a fixed
/// box resized bilinearly. Augmentation sits before the trainable layers, so the op has no gradient.
/// </summary>
internal sealed class CropOp(CropSpec spec, uint stream, ulong? seed) : Op
{
    private readonly CropSpec _spec = spec;
    public CropSpec Spec => _spec;
    public uint Stream { get; } = stream;
    /// <summary>The Philox key when set; the model's seed otherwise.</summary>
    public ulong? Seed { get; } = seed;
    public override string Name => "crop_resize";

    public override void Run(IBackend backend, in OpArgs args)
    {
        var (batch, h, w, c) = Dims(args.Node.Inputs[0], args.Batch);
        backend.CropResize(args[0], args.Output, batch, h, w, c, _spec, Seed ?? args.State.Seed, Stream, args.State.Counters);
    }

    /// <summary>
    /// The offsets are the float32 draw of <see cref="AugmentMath.CropBox"/> (they are defined in float32); the
    /// resize is computed in float64: in = (o + 0.5)·(box/out) − 0.5, lower = max(⌊in⌋, 0), upper = min(⌈in⌉, box − 1).
    /// </summary>
    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        (batch, int h, int w, int c) = Dims(node.Inputs[0], batch);
        int outH = _spec.Height, outW = _spec.Width;
        var (top, left, rows, columns) = AugmentMath.CropBox(_spec, h, w, Seed ?? ctx.Seed, (uint)ctx.RngStep, Stream);
        double[] x = inputs[0];
        for (int b = 0; b < batch; b++)
            for (int y = 0; y < outH; y++)
            {
                var (y0, y1, ly) = Neighbours(y, rows, outH);
                for (int xo = 0; xo < outW; xo++)
                {
                    var (x0, x1, lx) = Neighbours(xo, columns, outW);
                    for (int ch = 0; ch < c; ch++)
                    {
                        double At(int r, int col) => x[(((long)b * h + top + r) * w + left + col) * c + ch];
                        double upper = At(y0, x0) + (At(y0, x1) - At(y0, x0)) * lx;
                        double lower = At(y1, x0) + (At(y1, x1) - At(y1, x0)) * lx;
                        output[(((long)b * outH + y) * outW + xo) * c + ch] = upper + (lower - upper) * ly;
                    }
                }
            }
    }

    private static (int Lower, int Upper, double Lerp) Neighbours(int o, int box, int size)
    {
        double at = (o + 0.5) * box / size - 0.5, low = Math.Floor(at);
        return (Math.Max((int)low, 0), Math.Min((int)Math.Ceiling(at), box - 1), at - low);
    }

    /// <summary>(batch, H, W, C) of the input: a batched node is (H, W, C) per sample, an unbatched one (B, H, W, C).</summary>
    private static (int Batch, int Height, int Width, int Channels) Dims(Node node, int batch)
    {
        var s = node.Shape;
        return node.Batched ? (batch, s[0], s[1], s[2]) : (s[0], s[1], s[2], s[3]);
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy) => [null];
}
