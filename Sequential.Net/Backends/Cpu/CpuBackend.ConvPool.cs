namespace SequentialNet.Backends.Cpu;

// A ReLU convolution followed by max pooling as one pass per block of images (ConvPoolJobs): the convolution's
// output stays in cache, forward and backward.
public sealed unsafe partial class CpuBackend
{
    [ThreadStatic] private static ConvPoolJobs.Forward? t_convPoolForward;
    [ThreadStatic] private static ConvPoolJobs.Filter? t_convPoolFilter;
    [ThreadStatic] private static SegmentPartials? t_convPoolSums;

    /// <inheritdoc/>
    public void Conv2DReluMaxPool(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer bias, DeviceBuffer y, in ConvGeometry conv, in PoolGeometry pool)
    {
        RequireConvPool(nameof(Conv2DReluMaxPool), conv, pool, x, kernel, bias);
        RequireAtLeast(nameof(Conv2DReluMaxPool), "y", y, pool.OutputLength);
        if (conv.Batch == 0) return;
        var job = t_convPoolForward ??= new ConvPoolJobs.Forward();
        job.X = F(x); job.Kernel = F(kernel); job.Bias = F(bias); job.Y = F(y); job.C = conv; job.P = pool;
        job.Images = ConvPoolJobs.ImagesPerBlock(conv.OutHeight * conv.OutWidth);
        try { CpuWorkers.Run(job, Math.Min(conv.Batch, 4 * CpuWorkers.ThreadCount)); }
        finally { job.X = job.Kernel = job.Bias = job.Y = null; }
    }

    /// <inheritdoc/>
    public void Conv2DReluMaxPoolBackwardFilter(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer bias, DeviceBuffer dy, DeviceBuffer dkernelAndBias, in ConvGeometry conv, in PoolGeometry pool)
    {
        RequireConvPool(nameof(Conv2DReluMaxPoolBackwardFilter), conv, pool, x, kernel, bias);
        RequireAtLeast(nameof(Conv2DReluMaxPoolBackwardFilter), nameof(dy), dy, pool.OutputLength);
        long length = conv.KernelLength + conv.OutChannels;
        RequireAtLeast(nameof(Conv2DReluMaxPoolBackwardFilter), nameof(dkernelAndBias), dkernelAndBias, length);
        if (conv.Batch == 0) { C(dkernelAndBias).Span[..checked((int)length)].Clear(); return; }
        var job = t_convPoolFilter ??= new ConvPoolJobs.Filter();
        job.X = F(x); job.Kernel = F(kernel); job.Bias = F(bias); job.Dy = F(dy); job.C = conv; job.P = pool;
        job.Images = ConvPoolJobs.ImagesPerBlock(conv.OutHeight * conv.OutWidth);
        job.Blocks = (conv.Batch + job.Images - 1) / job.Images;
        job.Segments = Math.Min(FilterSegments, job.Blocks);
        job.Sums = t_convPoolSums ??= new SegmentPartials();
        try { job.Sums.RunInto(job, job.Segments, length, F(dkernelAndBias)); }
        finally { job.X = job.Kernel = job.Bias = job.Dy = null; }
    }

    private static void RequireConvPool(string who, in ConvGeometry conv, in PoolGeometry pool, DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer bias)
    {
        conv.Validate(who);
        pool.Validate(who);
        if (pool.Batch != conv.Batch || pool.InHeight != conv.OutHeight || pool.InWidth != conv.OutWidth || pool.Channels != conv.OutChannels)
            throw new ArgumentException($"{who}: expected the pooling to read the convolution's output ({conv.Batch}, {conv.OutHeight}, {conv.OutWidth}, {conv.OutChannels}). Received: pooling input ({pool.Batch}, {pool.InHeight}, {pool.InWidth}, {pool.Channels}).");
        RequireAtLeast(who, nameof(x), x, conv.InputLength);
        RequireAtLeast(who, nameof(kernel), kernel, conv.KernelLength);
        RequireAtLeast(who, nameof(bias), bias, conv.OutChannels);
    }
}
