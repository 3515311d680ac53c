using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Image augmentation (kernels/augment.cu): one launch warps or crops the whole batch, the random transform
// drawn on the device from the step counter, so a captured step replays with fresh transforms and no host input.
public sealed unsafe partial class CudaBackend
{
    private const int AffineParamFloats = 8;   // flip x, flip y, cos, sin, zoom x, zoom y, translation x, translation y

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
        if ((long)batch * AffineParamFloats > ScratchLength)
            throw new ArgumentOutOfRangeException(nameof(batch), $"AffineWarp: expected at most {ScratchLength / AffineParamFloats} samples per batch. Received: {batch}.");
        if (n == 0) return;
        LaunchAffineParams(batch, height, width, spec, seed, stream, bc.Pointer);
        ulong psrc = bsrc.Pointer, pdst = bdst.Pointer, pparams = _scratch.Pointer;
        int fill = (int)spec.Fill, interp = (int)spec.Interpolation;
        float fillValue = spec.FillValue;
        void** args = stackalloc void*[10];
        args[0] = &psrc; args[1] = &pdst; args[2] = &pparams; args[3] = &batch; args[4] = &height; args[5] = &width; args[6] = &channels;
        args[7] = &fill; args[8] = &fillValue; args[9] = &interp;
        _device.Launch("affine_warp_f32", new Dim3(ElementwiseBlocks(n)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <summary>affine_params_f32: each sample's transform (8 floats) into the scratch buffer, drawn once per sample.</summary>
    private void LaunchAffineParams(int batch, int height, int width, in AugmentSpec spec, ulong seed, uint stream, ulong counters)
    {
        ulong pparams = _scratch.Pointer, pc = counters;
        int stepSlot = StateSlots.OptimizerStep, flags = spec.Flags;
        float r0 = spec.RotationLower, r1 = spec.RotationUpper, th0 = spec.HeightTranslationLower, th1 = spec.HeightTranslationUpper;
        float tw0 = spec.WidthTranslationLower, tw1 = spec.WidthTranslationUpper, zh0 = spec.HeightZoomLower, zh1 = spec.HeightZoomUpper;
        float zw0 = spec.WidthZoomLower, zw1 = spec.WidthZoomUpper;
        void** args = stackalloc void*[19];
        args[0] = &pparams; args[1] = &batch; args[2] = &height; args[3] = &width; args[4] = &flags;
        args[5] = &r0; args[6] = &r1; args[7] = &th0; args[8] = &th1; args[9] = &tw0; args[10] = &tw1;
        args[11] = &zh0; args[12] = &zh1; args[13] = &zw0; args[14] = &zw1;
        args[15] = &seed; args[16] = &stream; args[17] = &pc; args[18] = &stepSlot;
        _device.Launch("affine_params_f32", new Dim3(ElementwiseBlocks(batch)), new Dim3(ElementwiseThreads), 0, args);
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
