using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Zero padding, cropping, nearest upsampling and channel scaling (kernels/spatial.cu): one grid-stride launch
// each, over the elements written; the upsampling gradient gathers, so no atomics.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void Pad2D(DeviceBuffer x, DeviceBuffer y, in PadGeometry geometry)
    {
        CudaBuffer bx = B(x), by = B(y);
        geometry.Validate(nameof(Pad2D));
        if (bx.Length < geometry.InputLength) throw TooShort(nameof(Pad2D), nameof(x), geometry.InputLength, bx.Length);
        if (by.Length < geometry.OutputLength) throw TooShort(nameof(Pad2D), nameof(y), geometry.OutputLength, by.Length);
        if (geometry.OutputLength == 0) return;
        PadGeometry geom = geometry;
        ulong px = bx.Pointer, py = by.Pointer;
        void** args = stackalloc void*[3];
        args[0] = &px; args[1] = &py; args[2] = &geom;
        _device.Launch("pad2d_f32", new Dim3(ElementwiseBlocks(geometry.OutputLength)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void UpSample2D(DeviceBuffer x, DeviceBuffer y, in UpSampleGeometry geometry)
        => LaunchUpSample(nameof(UpSample2D), backward: false, B(x), B(y), geometry);

    /// <inheritdoc/>
    public void UpSample2DBackward(DeviceBuffer dy, DeviceBuffer dx, in UpSampleGeometry geometry)
        => LaunchUpSample(nameof(UpSample2DBackward), backward: true, B(dy), B(dx), geometry);

    /// <summary>Forward: from = x, to = y (one thread per y element). Backward: from = dy, to = dx (one per dx element).</summary>
    private void LaunchUpSample(string who, bool backward, CudaBuffer from, CudaBuffer to, in UpSampleGeometry geometry)
    {
        geometry.Validate(who);
        long fromLength = backward ? geometry.OutputLength : geometry.InputLength, written = backward ? geometry.InputLength : geometry.OutputLength;
        string kernel = backward ? "upsample2d_bwd_f32" : "upsample2d_fwd_f32";
        if (from.Length < fromLength) throw TooShort(who, backward ? "dy" : "x", fromLength, from.Length);
        if (to.Length < written) throw TooShort(who, backward ? "dx" : "y", written, to.Length);
        if (written == 0) return;
        UpSampleGeometry geom = geometry;
        ulong pa = from.Pointer, pb = to.Pointer;
        void** args = stackalloc void*[3];
        args[0] = &pa; args[1] = &pb; args[2] = &geom;
        _device.Launch(kernel, new Dim3(ElementwiseBlocks(written)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void ScaleChannels(DeviceBuffer x, DeviceBuffer scale, DeviceBuffer y, int batch, int pixels, int channels)
    {
        CudaBuffer bx = B(x), bs = B(scale), by = B(y);
        if (batch < 0 || pixels <= 0 || channels <= 0)
            throw new ArgumentException($"{nameof(ScaleChannels)}: expected batch >= 0 and positive pixels and channels. Received: batch={batch}, pixels={pixels}, channels={channels}.");
        long n = (long)batch * pixels * channels;
        if (n > int.MaxValue) throw new ArgumentException($"{nameof(ScaleChannels)}: expected fewer than 2^31 elements. Received: {n}.");
        if (bx.Length < n) throw TooShort(nameof(ScaleChannels), nameof(x), n, bx.Length);
        if (bs.Length < (long)batch * channels) throw TooShort(nameof(ScaleChannels), nameof(scale), (long)batch * channels, bs.Length);
        if (by.Length < n) throw TooShort(nameof(ScaleChannels), nameof(y), n, by.Length);
        if (n == 0) return;
        ulong px = bx.Pointer, ps = bs.Pointer, py = by.Pointer;
        uint count = (uint)n;
        void** args = stackalloc void*[6];
        args[0] = &px; args[1] = &ps; args[2] = &py; args[3] = &count; args[4] = &pixels; args[5] = &channels;
        _device.Launch("scale_channels_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }
}
