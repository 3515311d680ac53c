namespace SequentialNet.Backends.Cpu;

// Zero padding, cropping, nearest upsampling and channel scaling (SpatialKernels).
public sealed unsafe partial class CpuBackend
{
    /// <inheritdoc/>
    public void Pad2D(DeviceBuffer x, DeviceBuffer y, in PadGeometry geometry)
    {
        geometry.Validate(nameof(Pad2D));
        RequireAtLeast(nameof(Pad2D), nameof(x), x, geometry.InputLength);
        RequireAtLeast(nameof(Pad2D), nameof(y), y, geometry.OutputLength);
        if (geometry.Batch > 0) SpatialKernels.Pad(F(x), F(y), geometry);
    }

    /// <inheritdoc/>
    public void UpSample2D(DeviceBuffer x, DeviceBuffer y, in UpSampleGeometry geometry)
    {
        RequireUpSample(nameof(UpSample2D), geometry, x, y);
        if (geometry.Batch > 0) SpatialKernels.UpSample(F(x), F(y), geometry);
    }

    /// <inheritdoc/>
    public void UpSample2DBackward(DeviceBuffer dy, DeviceBuffer dx, in UpSampleGeometry geometry)
    {
        RequireUpSample(nameof(UpSample2DBackward), geometry, dx, dy);
        if (geometry.Batch > 0) SpatialKernels.UpSampleBackward(F(dy), F(dx), geometry);
    }

    /// <inheritdoc/>
    public void ScaleChannels(DeviceBuffer x, DeviceBuffer scale, DeviceBuffer y, int batch, int pixels, int channels)
    {
        if (batch < 0 || pixels <= 0 || channels <= 0)
            throw new ArgumentException($"{nameof(ScaleChannels)}: expected batch >= 0 and positive pixels and channels. Received: batch={batch}, pixels={pixels}, channels={channels}.");
        long n = (long)batch * pixels * channels;
        RequireAtLeast(nameof(ScaleChannels), nameof(x), x, n);
        RequireAtLeast(nameof(ScaleChannels), nameof(scale), scale, (long)batch * channels);
        RequireAtLeast(nameof(ScaleChannels), nameof(y), y, n);
        if (n > 0) SpatialKernels.ScaleChannels(F(x), F(scale), F(y), batch, pixels, channels);
    }

    private static void RequireUpSample(string who, in UpSampleGeometry g, DeviceBuffer x, DeviceBuffer y)
    {
        g.Validate(who);
        RequireAtLeast(who, "x", x, g.InputLength);
        RequireAtLeast(who, "y", y, g.OutputLength);
    }
}
