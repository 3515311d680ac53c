using SequentialNet.Backends;

namespace SequentialNet.Cuda;

// Grouped and depthwise convolution (kernels/grouped_conv.cu), computed directly: a thread per output element
// forward, a thread per dx element gathering its outputs, a block per kernel element summing its pixels in a
// fixed tree. No workspace, no atomics: a captured step records them like any elementwise kernel.
public sealed unsafe partial class CudaBackend
{
    /// <summary>Threads per block of gconv_bwd_filter_f32 (a multiple of 32).</summary>
    private const int GroupedFilterThreads = 256;

    /// <inheritdoc/>
    public void GroupedConv2DForward(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer y, in ConvGeometry geometry, int groups)
    {
        CudaBuffer bx = B(x), bk = B(kernel), by = B(y);
        RequireGroupedConv(nameof(GroupedConv2DForward), geometry, groups, bx, bk, by);
        LaunchGroupedConv("gconv_fwd_f32", bx.Pointer, bk.Pointer, by.Pointer, geometry, groups, geometry.OutputLength, filter: false);
    }

    /// <inheritdoc/>
    public void GroupedConv2DBackwardInput(DeviceBuffer dy, DeviceBuffer kernel, DeviceBuffer dx, in ConvGeometry geometry, int groups)
    {
        CudaBuffer bdy = B(dy), bk = B(kernel), bdx = B(dx);
        RequireGroupedConv(nameof(GroupedConv2DBackwardInput), geometry, groups, bdx, bk, bdy);
        LaunchGroupedConv("gconv_bwd_input_f32", bdy.Pointer, bk.Pointer, bdx.Pointer, geometry, groups, geometry.InputLength, filter: false);
    }

    /// <inheritdoc/>
    public void GroupedConv2DBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dkernel, in ConvGeometry geometry, int groups)
    {
        CudaBuffer bx = B(x), bdy = B(dy), bdk = B(dkernel);
        RequireGroupedConv(nameof(GroupedConv2DBackwardFilter), geometry, groups, bx, bdk, bdy);
        LaunchGroupedConv("gconv_bwd_filter_f32", bx.Pointer, bdy.Pointer, bdk.Pointer, geometry, groups, geometry.GroupedKernelLength(groups), filter: true);
    }

    private void LaunchGroupedConv(string kernel, ulong p0, ulong p1, ulong p2, in ConvGeometry geometry, int groups, long elements, bool filter)
    {
        if (elements == 0) return;
        ConvGeometry geom = geometry;
        void** args = stackalloc void*[5];
        args[0] = &p0; args[1] = &p1; args[2] = &p2; args[3] = &geom; args[4] = &groups;
        if (filter) _device.Launch(kernel, new Dim3((uint)Math.Min(elements, MaxRowBlocks)), new Dim3(GroupedFilterThreads), 0, args);
        else _device.Launch(kernel, new Dim3(ElementwiseBlocks(elements)), new Dim3(ElementwiseThreads), 0, args);
    }

    private static void RequireGroupedConv(string who, in ConvGeometry g, int groups, CudaBuffer image, CudaBuffer kernel, CudaBuffer output)
    {
        g.ValidateGroups(who, groups);
        if (image.Length < g.InputLength) throw TooShort(who, "x", g.InputLength, image.Length);
        if (kernel.Length < g.GroupedKernelLength(groups)) throw TooShort(who, nameof(kernel), g.GroupedKernelLength(groups), kernel.Length);
        if (output.Length < g.OutputLength) throw TooShort(who, "y", g.OutputLength, output.Length);
    }
}
