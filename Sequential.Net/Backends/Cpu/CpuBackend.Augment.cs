namespace SequentialNet.Backends.Cpu;

// Image augmentation: the per-sample affine warp and the batch-wide crop of AugmentMath. Samples are independent
// (each draws its own transform from its index), so batches split over the workers by samples from
// AugmentThreshold elements (a bilinear sample is tens of operations per pixel: the warp of a batch of 32
// Fashion-MNIST images took 4× a whole training step of the seed MLP on one thread).
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void AffineWarp(DeviceBuffer src, DeviceBuffer dst, int batch, int height, int width, int channels, in AugmentSpec spec, ulong seed, uint stream, DeviceBuffer counters)
    {
        if (batch < 0 || height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"AffineWarp: expected batch >= 0 and a positive image size. Received: batch={batch}, height={height}, width={width}, channels={channels}.");
        int image = height * width * channels;
        long n = (long)batch * image;
        if (src.Length < n || dst.Length < n)
            throw new ArgumentException($"AffineWarp: expected src and dst of at least {n} elements. Received: {src.Length} and {dst.Length}.");
        var args = new WarpArgs
        {
            From = F(src), To = F(dst), Height = height, Width = width, Channels = channels, Spec = spec,
            Seed = seed, Step = (uint)C(counters).I[StateSlots.OptimizerStep], Stream = stream,
        };
        ElementwiseParallel.ForRows(batch, image, &args, &WarpRange, AugmentThreshold);
    }

    /// <summary>Augmentation passes of at least this many output elements run on every worker.</summary>
    internal const int AugmentThreshold = 1 << 11;

    private struct WarpArgs
    {
        public float* From, To;
        public int Height, Width, Channels;
        public AugmentSpec Spec;
        public ulong Seed;
        public uint Step, Stream;
    }

    private static void WarpRange(void* state, int first, int count)
    {
        ref WarpArgs a = ref *(WarpArgs*)state;
        int image = a.Height * a.Width * a.Channels;
        for (int b = first; b < first + count; b++)
        {
            var t = AugmentMath.Draw(a.Spec, a.Height, a.Width, a.Seed, a.Step, a.Stream, b);
            AugmentMath.Warp(new ReadOnlySpan<float>(a.From + (long)b * image, image), new Span<float>(a.To + (long)b * image, image), a.Height, a.Width, a.Channels, a.Spec, t);
        }
    }

    /// <inheritdoc/>
    public void CropResize(DeviceBuffer src, DeviceBuffer dst, int batch, int height, int width, int channels, in CropSpec spec, ulong seed, uint stream, DeviceBuffer counters)
    {
        if (batch < 0 || height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"CropResize: expected batch >= 0 and a positive image size. Received: batch={batch}, height={height}, width={width}, channels={channels}.");
        if (spec.Problem(height, width) is { } problem) throw new ArgumentException($"CropResize: {problem}.", nameof(spec));
        int image = height * width * channels, outImage = spec.Height * spec.Width * channels;
        long n = (long)batch * image, m = (long)batch * outImage;
        if (src.Length < n || dst.Length < m)
            throw new ArgumentException($"CropResize: expected src of at least {n} and dst of at least {m} elements. Received: {src.Length} and {dst.Length}.");
        uint step = (uint)C(counters).I[StateSlots.OptimizerStep];
        var (top, left, rows, columns) = AugmentMath.CropBox(spec, height, width, seed, step, stream);
        var args = new CropArgs
        {
            From = F(src), To = F(dst), Height = height, Width = width, Channels = channels,
            Top = top, Left = left, Rows = rows, Columns = columns, OutHeight = spec.Height, OutWidth = spec.Width,
        };
        ElementwiseParallel.ForRows(batch, outImage, &args, &CropRange, AugmentThreshold);
    }

    private struct CropArgs
    {
        public float* From, To;
        public int Height, Width, Channels, Top, Left, Rows, Columns, OutHeight, OutWidth;
    }

    private static void CropRange(void* state, int first, int count)
    {
        ref CropArgs a = ref *(CropArgs*)state;
        int image = a.Height * a.Width * a.Channels, outImage = a.OutHeight * a.OutWidth * a.Channels;
        for (int b = first; b < first + count; b++)
            AugmentMath.CropResize(new ReadOnlySpan<float>(a.From + (long)b * image, image), new Span<float>(a.To + (long)b * outImage, outImage),
                a.Height, a.Width, a.Channels, a.Top, a.Left, a.Rows, a.Columns, a.OutHeight, a.OutWidth);
    }
}
