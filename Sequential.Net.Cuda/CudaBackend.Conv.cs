using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Convolution (kernels/conv.cu) and pooling (kernels/pool.cu). A convolution is cuBLAS GEMMs on a workspace
// of patch rows, a block of rows at a time: forward im2col → P·K → bias and activation in place; filter
// gradient im2col → K += Pᵀ·dy (β = 0 on the first block, so the sum runs in block order, no atomics); input
// gradient dP = dy·Kᵀ → col2im adds it onto dx (a gather per dx element). The workspace is allocated with the
// backend and never moves, so a convolution can be recorded in a captured step (which may not allocate).
public sealed unsafe partial class CudaBackend
{
    /// <summary>Floats of the patch workspace by default: 16 MB, so blocks of rows are large enough to keep cuBLAS busy.</summary>
    internal const int ConvWorkspaceFloats = 1 << 22;

    private readonly CudaBuffer _convWorkspace;

    /// <inheritdoc/>
    public void Conv2DForward<TOp>(in TOp activation, DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer? bias, DeviceBuffer y, in ConvGeometry geometry) where TOp : struct, IUnaryOp
    {
        var g = geometry;
        CudaBuffer bx = B(x), bk = B(kernel), by = B(y);
        RequireConv(nameof(Conv2DForward), g, bx, bk, by);
        if (bias == null && typeof(TOp) != typeof(Identity))
            throw new ArgumentException($"{nameof(Conv2DForward)}: an activation needs a bias (apply it as its own op otherwise). Received: {activation.Kernel} without bias.");
        ulong pbias = 0;
        if (bias != null)
        {
            var bb = B(bias);
            if (bb.Length < g.OutChannels) throw TooShort(nameof(Conv2DForward), nameof(bias), g.OutChannels, bb.Length);
            pbias = bb.Pointer;
        }
        int k = g.PatchSize, n = g.OutChannels, blockRows = ConvBlockRows(nameof(Conv2DForward), k);
        ulong ws = ConvWorkspace().Pointer;
        for (int r0 = 0; r0 < g.Rows; r0 += blockRows)
        {
            int count = Math.Min(blockRows, g.Rows - r0);
            LaunchIm2Col(bx.Pointer, ws, g, r0, count);
            ulong out0 = by.Pointer + (ulong)r0 * (ulong)n * 4;
            GemmGateway.RowMajor(_device, false, false, count, n, k, 1f, ws, bk.Pointer, 0f, out0);
            if (bias != null) LaunchRowBroadcast(new Add(), out0, pbias, out0, count, n);
            if (typeof(TOp) != typeof(Identity)) LaunchUnary(activation, out0, out0, count * n);
        }
    }

    /// <inheritdoc/>
    public void Conv2DBackwardInput(DeviceBuffer dy, DeviceBuffer kernel, DeviceBuffer dx, in ConvGeometry geometry)
    {
        var g = geometry;
        CudaBuffer bdy = B(dy), bk = B(kernel), bdx = B(dx);
        RequireConv(nameof(Conv2DBackwardInput), g, bdx, bk, bdy);
        if (g.InputLength > 0) _device.Fill32(bdx.Pointer, 0, g.InputLength);
        int k = g.PatchSize, n = g.OutChannels, pixels = g.OutHeight * g.OutWidth, blockRows = ConvBlockRows(nameof(Conv2DBackwardInput), k);
        ulong ws = ConvWorkspace().Pointer;
        for (int r0 = 0; r0 < g.Rows; r0 += blockRows)
        {
            int count = Math.Min(blockRows, g.Rows - r0);
            GemmGateway.RowMajor(_device, false, true, count, k, n, 1f, bdy.Pointer + (ulong)r0 * (ulong)n * 4, bk.Pointer, 0f, ws);
            LaunchCol2Im(ws, bdx.Pointer, g, r0, count, r0 / pixels, (r0 + count - 1) / pixels + 1);
        }
    }

    private void LaunchCol2Im(ulong workspace, ulong dx, in ConvGeometry geometry, int r0, int count, int b0, int b1)
    {
        ConvGeometry geom = geometry;
        void** args = stackalloc void*[7];
        args[0] = &workspace; args[1] = &dx; args[2] = &geom; args[3] = &r0; args[4] = &count; args[5] = &b0; args[6] = &b1;
        long elements = (long)(b1 - b0) * geometry.InHeight * geometry.InWidth * geometry.InChannels;
        _device.Launch("conv_col2im_f32", new Dim3(ElementwiseBlocks(elements)), new Dim3(ElementwiseThreads), 0, args);
    }

    /// <inheritdoc/>
    public void Conv2DBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dkernel, in ConvGeometry geometry, bool biasGradient)
    {
        var g = geometry;
        CudaBuffer bx = B(x), bdy = B(dy), bdk = B(dkernel);
        RequireConv(nameof(Conv2DBackwardFilter), g, bx, bdk, bdy);
        long length = g.KernelLength + (biasGradient ? g.OutChannels : 0);
        if (bdk.Length < length) throw TooShort(nameof(Conv2DBackwardFilter), "dkernel (kernel and bias gradients)", length, bdk.Length);
        int k = g.PatchSize, n = g.OutChannels, blockRows = ConvBlockRows(nameof(Conv2DBackwardFilter), k);
        if (g.Rows == 0) { _device.Fill32(bdk.Pointer, 0, length); return; }
        // The bias gradient Σ_rows dy lands after the kernel gradient (the reduction kernel of SumRows).
        if (biasGradient) SumRowsInto(bdy.Pointer, bdk.Pointer + (ulong)g.KernelLength * 4, g.Rows, n);
        ulong ws = ConvWorkspace().Pointer;
        for (int r0 = 0; r0 < g.Rows; r0 += blockRows)
        {
            int count = Math.Min(blockRows, g.Rows - r0);
            LaunchIm2Col(bx.Pointer, ws, g, r0, count);
            GemmGateway.RowMajor(_device, true, false, k, n, count, 1f, ws, bdy.Pointer + (ulong)r0 * (ulong)n * 4, r0 == 0 ? 0f : 1f, bdk.Pointer);
        }
    }

    /// <inheritdoc/>
    public void Pool2D(PoolKind kind, DeviceBuffer x, DeviceBuffer y, in PoolGeometry geometry)
    {
        CudaBuffer bx = B(x), by = B(y);
        RequirePool(nameof(Pool2D), geometry, bx, by, null);
        LaunchPool("pool2d_fwd_f32", kind, geometry, geometry.OutputLength, bx.Pointer, by.Pointer, 0);
    }

    /// <inheritdoc/>
    public void Pool2DBackward(PoolKind kind, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, in PoolGeometry geometry)
    {
        CudaBuffer bx = B(x), bdy = B(dy), bdx = B(dx);
        RequirePool(nameof(Pool2DBackward), geometry, bx, bdy, bdx);
        LaunchPool("pool2d_bwd_f32", kind, geometry, geometry.InputLength, bx.Pointer, bdy.Pointer, bdx.Pointer);
    }

    private void LaunchPool(string kernel, PoolKind kind, in PoolGeometry geometry, long elements, ulong p0, ulong p1, ulong p2)
    {
        if (elements == 0) return;
        PoolGeometry geom = geometry;
        int k = (int)kind;
        bool backward = p2 != 0;
        void** args = stackalloc void*[5];
        args[0] = &p0; args[1] = &p1;
        if (backward) { args[2] = &p2; args[3] = &geom; args[4] = &k; }
        else { args[2] = &geom; args[3] = &k; }
        _device.Launch(kernel, new Dim3(ElementwiseBlocks(elements)), new Dim3(ElementwiseThreads), 0, args);
    }

    private void LaunchIm2Col(ulong x, ulong workspace, in ConvGeometry geometry, int r0, int count)
    {
        ConvGeometry geom = geometry;
        void** args = stackalloc void*[5];
        args[0] = &x; args[1] = &workspace; args[2] = &geom; args[3] = &r0; args[4] = &count;
        _device.Launch("conv_im2col_f32", new Dim3(ElementwiseBlocks((long)count * geometry.PatchSize)), new Dim3(ElementwiseThreads), 0, args);
    }

    private CudaBuffer ConvWorkspace() => _convWorkspace;

    private int ConvBlockRows(string who, int patchSize)
    {
        if (patchSize > _convWorkspace.Length)
            throw new ArgumentException($"{who}: a patch of {patchSize} values (kernel height · width · input channels) does not fit the {_convWorkspace.Length}-float convolution workspace.");
        return _convWorkspace.Length / patchSize;
    }

    private static void RequireConv(string who, in ConvGeometry g, CudaBuffer image, CudaBuffer kernel, CudaBuffer output)
    {
        g.Validate(who);
        if (image.Length < g.InputLength) throw TooShort(who, "x", g.InputLength, image.Length);
        if (kernel.Length < g.KernelLength) throw TooShort(who, nameof(kernel), g.KernelLength, kernel.Length);
        if (output.Length < g.OutputLength) throw TooShort(who, "y", g.OutputLength, output.Length);
    }

    private static void RequirePool(string who, in PoolGeometry g, CudaBuffer x, CudaBuffer y, CudaBuffer? dx)
    {
        g.Validate(who);
        if (x.Length < g.InputLength) throw TooShort(who, nameof(x), g.InputLength, x.Length);
        if (y.Length < g.OutputLength) throw TooShort(who, "y", g.OutputLength, y.Length);
        if (dx != null && dx.Length < g.InputLength) throw TooShort(who, nameof(dx), g.InputLength, dx.Length);
    }
}
