namespace SequentialNet.Backends.Cpu;

// Convolution as implicit GEMM on the packed SGEMM (ConvPatches, ConvJobs) and pooling (PoolKernels).
public sealed unsafe partial class CpuBackend
{
    /// <summary>Fixed number of row segments of the kernel gradient (bounded by the blocks): independent of the thread count.</summary>
    private const int FilterSegments = 8;

    [ThreadStatic] private static ConvJobs.Forward? t_convForward;
    [ThreadStatic] private static ConvJobs.Filter? t_convFilter;
    [ThreadStatic] private static ConvJobs.Input? t_convInput;
    [ThreadStatic] private static SegmentPartials? t_filterSums;

    /// <inheritdoc/>
    public void Conv2DForward<TOp>(in TOp activation, DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer? bias, DeviceBuffer y, in ConvGeometry geometry) where TOp : struct, IUnaryOp
    {
        RequireConv(nameof(Conv2DForward), geometry, x, kernel, y);
        if (bias == null && typeof(TOp) != typeof(Identity))
            throw new ArgumentException($"{nameof(Conv2DForward)}: an activation needs a bias (apply it as its own op otherwise). Received: {activation.Kernel} without bias.");
        if (bias != null) RequireAtLeast(nameof(Conv2DForward), nameof(bias), bias, geometry.OutChannels);
        if (geometry.Rows == 0) return;
        TOp op = activation;   // on this stack frame: the epilogue reaches it by pointer
        var epilogue = bias == null ? GemmEpilogue.None
            : new GemmEpilogue(F(bias), System.Runtime.CompilerServices.Unsafe.AsPointer(ref op), GemmEpilogue.RowKernel<TOp>());
        if (TryWinogradForward(F(x), F(kernel), F(y), geometry, epilogue)) return;
        var job = t_convForward ??= new ConvJobs.Forward();
        job.X = F(x); job.Kernel = F(kernel); job.Y = F(y); job.G = geometry;
        job.BlockRows = ConvPatches.BlockRows(geometry.PatchSize);
        job.Epilogue = epilogue;
        try { CpuWorkers.Run(job, (geometry.Rows + job.BlockRows - 1) / job.BlockRows); }
        finally { job.X = job.Kernel = job.Y = null; job.Epilogue = default; }
    }

    /// <inheritdoc/>
    public void Conv2DBackwardInput(DeviceBuffer dy, DeviceBuffer kernel, DeviceBuffer dx, in ConvGeometry geometry)
    {
        RequireConv(nameof(Conv2DBackwardInput), geometry, dx, kernel, dy);
        if (geometry.Batch == 0) return;
        if (TryWinogradBackwardInput(F(dy), F(kernel), F(dx), geometry)) return;
        var job = t_convInput ??= new ConvJobs.Input();
        job.Dy = F(dy); job.Kernel = F(kernel); job.Dx = F(dx); job.G = geometry;
        job.BlockRows = ConvPatches.BlockRows(geometry.PatchSize);
        try { CpuWorkers.Run(job, Math.Min(geometry.Batch, 8 * CpuWorkers.ThreadCount)); }
        finally { job.Dy = job.Kernel = job.Dx = null; }
    }

    /// <inheritdoc/>
    public void Conv2DBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dkernel, in ConvGeometry geometry, bool biasGradient)
    {
        RequireConv(nameof(Conv2DBackwardFilter), geometry, x, dkernel, dy);
        long length = geometry.KernelLength + (biasGradient ? geometry.OutChannels : 0);
        if (biasGradient) RequireAtLeast(nameof(Conv2DBackwardFilter), "dkernel (kernel and bias gradients)", dkernel, length);
        if (geometry.Rows == 0) { C(dkernel).Span[..checked((int)length)].Clear(); return; }
        if (TryWinogradBackwardFilter(F(x), F(dy), F(dkernel), geometry, biasGradient)) return;
        var job = t_convFilter ??= new ConvJobs.Filter();
        job.X = F(x); job.Dy = F(dy); job.G = geometry; job.BiasGradient = biasGradient;
        job.BlockRows = ConvPatches.BlockRows(geometry.PatchSize);
        job.Blocks = (geometry.Rows + job.BlockRows - 1) / job.BlockRows;
        job.Segments = Math.Min(FilterSegments, job.Blocks);
        job.Sums = t_filterSums ??= new SegmentPartials();
        try { job.Sums.RunInto(job, job.Segments, length, F(dkernel)); }
        finally { job.X = job.Dy = null; }
    }

    /// <inheritdoc/>
    public void Pool2D(PoolKind kind, DeviceBuffer x, DeviceBuffer y, in PoolGeometry geometry)
    {
        RequirePool(nameof(Pool2D), geometry, x, y, null);
        PoolKernels.Run(kind, backward: false, F(x), F(y), null, geometry);
    }

    /// <inheritdoc/>
    public void Pool2DBackward(PoolKind kind, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, in PoolGeometry geometry)
    {
        RequirePool(nameof(Pool2DBackward), geometry, x, dy, dx);
        PoolKernels.Run(kind, backward: true, F(x), F(dy), F(dx), geometry);
    }

    private static void RequireConv(string who, in ConvGeometry g, DeviceBuffer image, DeviceBuffer kernel, DeviceBuffer output)
    {
        g.Validate(who);
        RequireAtLeast(who, "x", image, g.InputLength);
        RequireAtLeast(who, nameof(kernel), kernel, g.KernelLength);
        RequireAtLeast(who, "y", output, g.OutputLength);
    }

    private static void RequirePool(string who, in PoolGeometry g, DeviceBuffer x, DeviceBuffer y, DeviceBuffer? dx)
    {
        g.Validate(who);
        RequireAtLeast(who, nameof(x), x, g.InputLength);
        RequireAtLeast(who, "y", y, g.OutputLength);
        if (dx != null) RequireAtLeast(who, nameof(dx), dx, g.InputLength);
    }
}
