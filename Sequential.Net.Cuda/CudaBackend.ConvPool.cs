using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// A ReLU convolution followed by max pooling (IBackend.Conv2DReluMaxPool): a block of whole images at a time
// in the convolution workspace, laid out patches (rows, k) | convolution output (rows, n) | its gradient
// (rows, n) | ones (rows). Forward: im2col → P·K → bias, ReLU → pool2d_fwd into y. Kernel gradient: the same
// convolution recomputed → pool2d_bwd with ReLU's derivative (kind MaxAfterRelu) into dz → dK += Pᵀ·dz and
// db += onesᵀ·dz, β = 0 on the first block, so the sums run in block order (no atomics, fixed bits).
public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc/>
    public void Conv2DReluMaxPool(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer bias, DeviceBuffer y, in ConvGeometry conv, in PoolGeometry pool)
    {
        CudaBuffer bx = B(x), bk = B(kernel), bb = B(bias), by = B(y);
        RequireConvPool(nameof(Conv2DReluMaxPool), conv, pool, bx, bk, bb);
        if (by.Length < pool.OutputLength) throw TooShort(nameof(Conv2DReluMaxPool), "y", pool.OutputLength, by.Length);
        int images = ConvPoolImages(nameof(Conv2DReluMaxPool), conv, gradient: false);
        for (int b = 0; b < conv.Batch; b += images)
        {
            int count = Math.Min(images, conv.Batch - b);
            ulong convOut = ConvolveReluBlock(bx.Pointer, bk.Pointer, bb.Pointer, conv, b, count, images);
            LaunchPool("pool2d_fwd_f32", PoolKind.Max, pool with { Batch = count }, count * PooledImage(pool), convOut, by.Pointer + (ulong)(b * PooledImage(pool)) * 4, 0);
        }
    }

    /// <inheritdoc/>
    public void Conv2DReluMaxPoolBackwardFilter(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer bias, DeviceBuffer dy, DeviceBuffer dkernelAndBias, in ConvGeometry conv, in PoolGeometry pool)
    {
        CudaBuffer bx = B(x), bk = B(kernel), bb = B(bias), bdy = B(dy), bdkb = B(dkernelAndBias);
        RequireConvPool(nameof(Conv2DReluMaxPoolBackwardFilter), conv, pool, bx, bk, bb);
        long length = conv.KernelLength + conv.OutChannels;
        if (bdy.Length < pool.OutputLength) throw TooShort(nameof(Conv2DReluMaxPoolBackwardFilter), nameof(dy), pool.OutputLength, bdy.Length);
        if (bdkb.Length < length) throw TooShort(nameof(Conv2DReluMaxPoolBackwardFilter), nameof(dkernelAndBias), length, bdkb.Length);
        if (conv.Batch == 0) { _device.Fill32(bdkb.Pointer, 0, length); return; }
        int images = ConvPoolImages(nameof(Conv2DReluMaxPoolBackwardFilter), conv, gradient: true);
        int k = conv.PatchSize, n = conv.OutChannels, pixels = conv.OutHeight * conv.OutWidth;
        long maxRows = (long)images * pixels;
        ulong ws = ConvWorkspace().Pointer, dz = ws + (ulong)(maxRows * (k + n)) * 4, ones = dz + (ulong)(maxRows * n) * 4;
        _device.Fill32(ones, BitConverter.SingleToUInt32Bits(1f), maxRows);
        for (int b = 0; b < conv.Batch; b += images)
        {
            int count = Math.Min(images, conv.Batch - b), rows = count * pixels;
            ulong convOut = ConvolveReluBlock(bx.Pointer, bk.Pointer, bb.Pointer, conv, b, count, images);
            LaunchPool("pool2d_bwd_f32", PoolKind.MaxAfterRelu, pool with { Batch = count }, (long)rows * n, convOut, bdy.Pointer + (ulong)(b * PooledImage(pool)) * 4, dz);
            float beta = b == 0 ? 0f : 1f;
            GemmGateway.RowMajor(_device, true, false, k, n, rows, 1f, ws, dz, beta, bdkb.Pointer);
            GemmGateway.RowMajor(_device, false, false, 1, n, rows, 1f, ones, dz, beta, bdkb.Pointer + (ulong)conv.KernelLength * 4);
        }
    }

    /// <summary>relu(P·K + bias) of images [b, b + count) into the workspace after their patches; returns its address.</summary>
    private ulong ConvolveReluBlock(ulong x, ulong kernel, ulong bias, in ConvGeometry conv, int b, int count, int images)
    {
        int k = conv.PatchSize, n = conv.OutChannels, rows = count * conv.OutHeight * conv.OutWidth;
        ulong ws = ConvWorkspace().Pointer, convOut = ws + (ulong)((long)images * conv.OutHeight * conv.OutWidth * k) * 4;
        LaunchIm2Col(x + (ulong)((long)b * conv.InHeight * conv.InWidth * conv.InChannels) * 4, ws, conv with { Batch = count }, 0, rows);
        GemmGateway.RowMajor(_device, false, false, rows, n, k, 1f, ws, kernel, 0f, convOut);
        LaunchRowBroadcast(new Add(), convOut, bias, convOut, rows, n);
        LaunchUnary(new Relu(), convOut, convOut, rows * n);
        return convOut;
    }

    private static long PooledImage(in PoolGeometry pool) => (long)pool.OutHeight * pool.OutWidth * pool.Channels;

    /// <summary>
    /// Whole images per block that fit the workspace: patches and output (and for the gradient, dz and a ones row).
    /// The graph fuses only images that fit the default workspace (Conv2DReluMaxPoolOp.MaxImageFloats).
    /// </summary>
    private int ConvPoolImages(string who, in ConvGeometry conv, bool gradient)
    {
        long pixels = (long)conv.OutHeight * conv.OutWidth;
        long perImage = gradient ? Graph.Ops.Conv2DReluMaxPoolOp.ImageFloats(pixels, conv.PatchSize, conv.OutChannels) : pixels * (conv.PatchSize + conv.OutChannels);
        long images = Math.Min(Math.Max(conv.Batch, 1), _convWorkspace.Length / Math.Max(perImage, 1));
        if (images == 0)
            throw new ArgumentException($"{who}: one image's patches and convolution output ({perImage} floats) do not fit the {_convWorkspace.Length}-float convolution workspace.");
        return (int)images;
    }

    private static void RequireConvPool(string who, in ConvGeometry conv, in PoolGeometry pool, CudaBuffer x, CudaBuffer kernel, CudaBuffer bias)
    {
        conv.Validate(who);
        pool.Validate(who);
        if (pool.Batch != conv.Batch || pool.InHeight != conv.OutHeight || pool.InWidth != conv.OutWidth || pool.Channels != conv.OutChannels)
            throw new ArgumentException($"{who}: expected the pooling to read the convolution's output ({conv.Batch}, {conv.OutHeight}, {conv.OutWidth}, {conv.OutChannels}). Received: pooling input ({pool.Batch}, {pool.InHeight}, {pool.InWidth}, {pool.Channels}).");
        if (x.Length < conv.InputLength) throw TooShort(who, "x", conv.InputLength, x.Length);
        if (kernel.Length < conv.KernelLength) throw TooShort(who, nameof(kernel), conv.KernelLength, kernel.Length);
        if (bias.Length < conv.OutChannels) throw TooShort(who, nameof(bias), conv.OutChannels, bias.Length);
    }
}
