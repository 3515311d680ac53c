namespace SequentialNet.Backends.Cpu;

// Grouped (and depthwise) convolution: SIMD spans per tap when a group has one input channel, small SGEMMs per row, tap and group otherwise (GroupedConvJobs).
public sealed unsafe partial class CpuBackend
{
    [ThreadStatic] private static GroupedConvJobs.Forward? t_groupedForward;
    [ThreadStatic] private static GroupedConvJobs.Input? t_groupedInput;
    [ThreadStatic] private static GroupedConvJobs.Filter? t_groupedFilter;
    [ThreadStatic] private static SegmentPartials? t_groupedSums;

    /// <inheritdoc/>
    public void GroupedConv2DForward(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer y, in ConvGeometry geometry, int groups)
    {
        RequireGroupedConv(nameof(GroupedConv2DForward), geometry, groups, x, kernel, y);
        int rows = geometry.Batch * geometry.OutHeight;
        if (rows == 0) return;
        var job = t_groupedForward ??= new GroupedConvJobs.Forward();
        job.X = F(x); job.Kernel = F(kernel); job.Y = F(y); job.G = geometry; job.Groups = groups;
        try { CpuWorkers.Run(job, Math.Min(rows, 4 * CpuWorkers.ThreadCount)); }
        finally { job.X = job.Kernel = job.Y = null; }
    }

    /// <inheritdoc/>
    public void GroupedConv2DBackwardInput(DeviceBuffer dy, DeviceBuffer kernel, DeviceBuffer dx, in ConvGeometry geometry, int groups)
    {
        RequireGroupedConv(nameof(GroupedConv2DBackwardInput), geometry, groups, dx, kernel, dy);
        int rows = geometry.Batch * geometry.InHeight;
        if (rows == 0) return;
        var job = t_groupedInput ??= new GroupedConvJobs.Input();
        job.Dy = F(dy); job.Kernel = F(kernel); job.Dx = F(dx); job.G = geometry; job.Groups = groups;
        try { CpuWorkers.Run(job, Math.Min(rows, 4 * CpuWorkers.ThreadCount)); }
        finally { job.Dy = job.Kernel = job.Dx = null; }
    }

    /// <inheritdoc/>
    public void GroupedConv2DBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dkernel, in ConvGeometry geometry, int groups)
    {
        RequireGroupedConv(nameof(GroupedConv2DBackwardFilter), geometry, groups, x, dkernel, dy);
        long length = geometry.GroupedKernelLength(groups);
        if (geometry.Rows == 0) { C(dkernel).Span[..checked((int)length)].Clear(); return; }
        var job = t_groupedFilter ??= new GroupedConvJobs.Filter();
        job.X = F(x); job.Dy = F(dy); job.G = geometry; job.Groups = groups;
        job.Segments = Math.Min(FilterSegments, geometry.Batch * geometry.OutHeight);
        job.Sums = t_groupedSums ??= new SegmentPartials();
        try { job.Sums.RunInto(job, job.Segments, length, F(dkernel)); }
        finally { job.X = job.Dy = null; }
    }

    private static void RequireGroupedConv(string who, in ConvGeometry g, int groups, DeviceBuffer image, DeviceBuffer kernel, DeviceBuffer output)
    {
        g.ValidateGroups(who, groups);
        RequireAtLeast(who, "x", image, g.InputLength);
        RequireAtLeast(who, nameof(kernel), kernel, g.GroupedKernelLength(groups));
        RequireAtLeast(who, "y", output, g.OutputLength);
    }
}
