namespace SequentialNet.Backends.Cpu;

// Image augmentation: the per-sample affine warp and the batch-wide crop of AugmentMath, one sample at a time.
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
        uint step = (uint)C(counters).I[StateSlots.OptimizerStep];
        var from = new ReadOnlySpan<float>(F(src), (int)n);
        var to = new Span<float>(F(dst), (int)n);
        for (int b = 0; b < batch; b++)
        {
            var t = AugmentMath.Draw(spec, height, width, seed, step, stream, b);
            AugmentMath.Warp(from.Slice(b * image, image), to.Slice(b * image, image), height, width, channels, spec, t);
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
        var from = new ReadOnlySpan<float>(F(src), (int)n);
        var to = new Span<float>(F(dst), (int)m);
        for (int b = 0; b < batch; b++)
            AugmentMath.CropResize(from.Slice(b * image, image), to.Slice(b * outImage, outImage), height, width, channels, top, left, rows, columns, spec.Height, spec.Width);
    }
}
