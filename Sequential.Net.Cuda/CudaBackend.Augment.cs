using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Image augmentation (kernels/augment.cu): one launch warps or crops the whole batch, the random transform
// drawn on the device from the step counter, so a captured step replays with fresh transforms and no host input.
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void AffineWarp(DeviceBuffer src, DeviceBuffer dst, int batch, int height, int width, int channels, in AugmentSpec spec, ulong seed, uint stream, DeviceBuffer counters)
    {
        CudaBuffer bsrc = B(src), bdst = B(dst);
        var bc = RequireInt(counters, StateSlots.OptimizerStep, nameof(AffineWarp));
        if (batch < 0 || height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"AffineWarp: expected batch >= 0 and a positive image size. Received: batch={batch}, height={height}, width={width}, channels={channels}.");
        long n = (long)batch * height * width * channels;
        if (n > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(batch), $"AffineWarp: {n} elements exceed the {int.MaxValue} a launch indexes.");
        if (bsrc.Length < n) throw TooShort(nameof(AffineWarp), nameof(src), n, bsrc.Length);
        if (bdst.Length < n) throw TooShort(nameof(AffineWarp), nameof(dst), n, bdst.Length);
        if (n == 0) return;
        ulong psrc = bsrc.Pointer, pdst = bdst.Pointer, pc = bc.Pointer;
        int stepSlot = StateSlots.OptimizerStep, flags = spec.Flags, fill = (int)spec.Fill, interp = (int)spec.Interpolation;
        float r0 = spec.RotationLower, r1 = spec.RotationUpper, th0 = spec.HeightTranslationLower, th1 = spec.HeightTranslationUpper;
        float tw0 = spec.WidthTranslationLower, tw1 = spec.WidthTranslationUpper, zh0 = spec.HeightZoomLower, zh1 = spec.HeightZoomUpper;
        float zw0 = spec.WidthZoomLower, zw1 = spec.WidthZoomUpper, fillValue = spec.FillValue;
        void** args = stackalloc void*[24];
        args[0] = &psrc; args[1] = &pdst; args[2] = &batch; args[3] = &height; args[4] = &width; args[5] = &channels;
        args[6] = &flags; args[7] = &r0; args[8] = &r1; args[9] = &th0; args[10] = &th1; args[11] = &tw0; args[12] = &tw1;
        args[13] = &zh0; args[14] = &zh1; args[15] = &zw0; args[16] = &zw1; args[17] = &fill; args[18] = &fillValue; args[19] = &interp;
        args[20] = &seed; args[21] = &stream; args[22] = &pc; args[23] = &stepSlot;
        _device.Launch("affine_warp_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void CropResize(DeviceBuffer src, DeviceBuffer dst, int batch, int height, int width, int channels, in CropSpec spec, ulong seed, uint stream, DeviceBuffer counters)
    {
        CudaBuffer bsrc = B(src), bdst = B(dst);
        var bc = RequireInt(counters, StateSlots.OptimizerStep, nameof(CropResize));
        if (batch < 0 || height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"CropResize: expected batch >= 0 and a positive image size. Received: batch={batch}, height={height}, width={width}, channels={channels}.");
        if (spec.Problem(height, width) is { } problem) throw new ArgumentException($"CropResize: {problem}.", nameof(spec));
        long n = (long)batch * height * width * channels, m = (long)batch * spec.Height * spec.Width * channels;
        if (n > int.MaxValue || m > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(batch), $"CropResize: {Math.Max(n, m)} elements exceed the {int.MaxValue} a launch indexes.");
        if (bsrc.Length < n) throw TooShort(nameof(CropResize), nameof(src), n, bsrc.Length);
        if (bdst.Length < m) throw TooShort(nameof(CropResize), nameof(dst), m, bdst.Length);
        if (m == 0) return;
        ulong psrc = bsrc.Pointer, pdst = bdst.Pointer, pc = bc.Pointer;
        int stepSlot = StateSlots.OptimizerStep, outH = spec.Height, outW = spec.Width, random = spec.RandomOffsets ? 1 : 0;
        int top = spec.BoxTop, left = spec.BoxLeft, rows = spec.BoxHeight, columns = spec.BoxWidth;
        void** args = stackalloc void*[17];
        args[0] = &psrc; args[1] = &pdst; args[2] = &batch; args[3] = &height; args[4] = &width; args[5] = &channels;
        args[6] = &outH; args[7] = &outW; args[8] = &random; args[9] = &top; args[10] = &left; args[11] = &rows; args[12] = &columns;
        args[13] = &seed; args[14] = &stream; args[15] = &pc; args[16] = &stepSlot;
        _device.Launch("crop_resize_f32", new Dim3(ElementwiseBlocks(m)), new Dim3(ElementwiseThreads), 0, args);
    }
}
