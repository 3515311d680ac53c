using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Tests.Graph;

/// <summary>
/// The op-case rows of zero padding, cropping, nearest upsampling and channel scaling (SpatialDropout2D), channels
/// last (N, H, W, C): asymmetric and mixed amounts, odd sizes, batch 1 and 1×1 images. Part of <see cref="OpCases.All"/>.
/// </summary>
public static class SpatialOpCases
{
    private static OpCase Pad(string name, int[] x, int top, int bottom, int left, int right)
        => new(name, [x], (g, v) => Pad2DOp.Emit(g, v[0], top, bottom, left, right));

    private static OpCase UpSample(string name, int[] x, int sh, int sw)
        => new(name, [x], (g, v) => UpSample2DOp.Emit(g, v[0], sh, sw));

    /// <summary>The mask of SpatialDropout2D on an unbatched (N, H, W, C) node: (N, 1, 1, C).</summary>
    internal static Node ChannelMask(GraphBuilder g, Node x, float rate, uint stream)
        => g.Add(new DropoutMaskOp(rate, stream), [x], [x.Shape[0], 1, 1, x.Shape[3]], batched: false);

    /// <summary>All cases.</summary>
    public static IEnumerable<OpCase> All()
    {
        yield return Pad("zero_pad2d_asymmetric", [2, 3, 4, 3], 1, 2, 0, 3);
        yield return Pad("zero_pad2d_1x1_batch1", [1, 1, 1, 1], 1, 1, 1, 1);
        yield return Pad("crop2d_odd", [1, 5, 6, 2], -1, 0, -2, -1);
        yield return Pad("crop2d_to_1x1", [2, 3, 3, 5], -1, -1, -2, 0);
        yield return Pad("pad2d_pad_rows_crop_columns", [2, 4, 5, 3], 2, 1, -1, -2);
        yield return UpSample("upsample2d_2x3", [2, 3, 2, 3], 2, 3);
        yield return UpSample("upsample2d_3x1_odd", [1, 3, 5, 7], 3, 1);
        yield return UpSample("upsample2d_1x1_image_batch1", [1, 1, 1, 1], 2, 2);
        yield return new("scale_channels", [[2, 3, 4, 5], [2, 1, 1, 5]], (g, v) => ScaleChannelsOp.Emit(g, v[0], v[1]), differentiable: [true, false]);
        yield return new("spatial_dropout", [[3, 2, 3, 7]], (g, v) => ScaleChannelsOp.Emit(g, v[0], ChannelMask(g, v[0], 0.4f, 9)));
        // Conv1D's "causal" padding as the (1, steps) convolution it runs: (k − 1)·dilation cells before, none after.
        yield return OpCases.Conv("conv2d_1xk_causal_dilated", [2, 1, 9, 3], [1, 3, 3, 2], new ConvSpec(1, 3, 1, 1, 1, 2, "causal"), new SequentialNet.Backends.Relu());
        yield return OpCases.Conv("conv2d_1xk_causal_strided", [1, 1, 8, 2], [1, 4, 2, 3], new ConvSpec(1, 4, 1, 3, 1, 1, "causal"), new SequentialNet.Backends.Identity());
        // Max pooling with disjoint windows (the CPU's write-once backward): tiled with a channel tail past the
        // 8-lane vectors, "same" with a clipped last window, and gaps between windows.
        yield return OpCases.Pool("max_pool_2x2_tiled_channel_tail", SequentialNet.Backends.PoolKind.Max, [2, 6, 4, 19], new ConvSpec(2, 2, 2, 2, 1, 1, "valid"));
        yield return OpCases.Pool("max_pool_2x2_same_clipped", SequentialNet.Backends.PoolKind.Max, [1, 5, 5, 11], new ConvSpec(2, 2, 2, 2, 1, 1, "same"));
        yield return OpCases.Pool("max_pool_2x3_s3_gaps_wide", SequentialNet.Backends.PoolKind.Max, [2, 7, 8, 9], new ConvSpec(2, 3, 3, 3, 1, 1, "valid"));
        // ReLU then max pooling: the two backward passes fold into one (max_pool2d_relu_grad). A fused conv2d_relu
        // into windows that tile (channels past the 8-lane vectors), into disjoint windows with an uncovered
        // border, and a standalone relu into overlapping "same" windows (the add-into path).
        yield return new("conv2d_relu_max_pool_tiled", [[1, 6, 6, 2], [3, 3, 2, 9], [9]], (g, v) => Pool2DOp.Emit(g, SequentialNet.Backends.PoolKind.Max, new ConvSpec(2, 2, 2, 2, 1, 1, "valid"),
            Conv2DOp<SequentialNet.Backends.Relu>.Emit(g, new SequentialNet.Backends.Relu(), new ConvSpec(3, 3, 1, 1, 1, 1, "same"), v[0], v[1], v[2])));
        yield return new("conv2d_relu_max_pool_border", [[2, 7, 7, 3], [3, 3, 3, 10], [10]], (g, v) => Pool2DOp.Emit(g, SequentialNet.Backends.PoolKind.Max, new ConvSpec(2, 2, 2, 2, 1, 1, "valid"),
            Conv2DOp<SequentialNet.Backends.Relu>.Emit(g, new SequentialNet.Backends.Relu(), new ConvSpec(3, 3, 1, 1, 1, 1, "valid"), v[0], v[1], v[2])));
        yield return new("relu_max_pool_overlapping", [[2, 5, 6, 11]], (g, v) => Pool2DOp.Emit(g, SequentialNet.Backends.PoolKind.Max, new ConvSpec(3, 3, 2, 2, 1, 1, "same"),
            g.Unary(new SequentialNet.Backends.Relu(), v[0])));
        // The same with x needing no gradient (a first layer): one conv2d_relu_max_pool2d op whose backward
        // recomputes the convolution. Tiled windows with 16 filters, a "same" convolution into overlapping "same"
        // windows, and a strided convolution into windows that leave a border out, at batch 1.
        yield return new("conv2d_relu_max_pool_fused_first_layer", [[2, 8, 8, 1], [3, 3, 1, 16], [16]], (g, v) => Pool2DOp.Emit(g, SequentialNet.Backends.PoolKind.Max, new ConvSpec(2, 2, 2, 2, 1, 1, "valid"),
            Conv2DOp<SequentialNet.Backends.Relu>.Emit(g, new SequentialNet.Backends.Relu(), new ConvSpec(3, 3, 1, 1, 1, 1, "valid"), v[0], v[1], v[2])), differentiable: [false, true, true]);
        yield return new("conv2d_relu_max_pool_fused_overlapping", [[3, 7, 6, 2], [3, 3, 2, 9], [9]], (g, v) => Pool2DOp.Emit(g, SequentialNet.Backends.PoolKind.Max, new ConvSpec(3, 3, 2, 2, 1, 1, "same"),
            Conv2DOp<SequentialNet.Backends.Relu>.Emit(g, new SequentialNet.Backends.Relu(), new ConvSpec(3, 3, 1, 1, 1, 1, "same"), v[0], v[1], v[2])), differentiable: [false, true, true]);
        yield return new("conv2d_relu_max_pool_fused_strided_batch1", [[1, 9, 9, 3], [3, 3, 3, 10], [10]], (g, v) => Pool2DOp.Emit(g, SequentialNet.Backends.PoolKind.Max, new ConvSpec(2, 2, 2, 2, 1, 1, "valid"),
            Conv2DOp<SequentialNet.Backends.Relu>.Emit(g, new SequentialNet.Backends.Relu(), new ConvSpec(3, 3, 2, 2, 1, 1, "same"), v[0], v[1], v[2])), differentiable: [false, true, true]);
        // 32 filters on a short patch (the direct kernels) with "same" padding: border pixels read clipped patches.
        yield return new("conv2d_relu_max_pool_fused_direct_same", [[2, 7, 7, 3], [3, 3, 3, 32], [32]], (g, v) => Pool2DOp.Emit(g, SequentialNet.Backends.PoolKind.Max, new ConvSpec(2, 2, 2, 2, 1, 1, "valid"),
            Conv2DOp<SequentialNet.Backends.Relu>.Emit(g, new SequentialNet.Backends.Relu(), new ConvSpec(3, 3, 1, 1, 1, 1, "same"), v[0], v[1], v[2])), differentiable: [false, true, true]);
        // The convolution's output also read by average pooling: the separate convolution runs for that reader and
        // both paths send gradients to the kernel and bias.
        yield return new("conv2d_relu_max_pool_fused_with_branch", [[2, 6, 6, 2], [3, 3, 2, 8], [8]], (g, v) =>
        {
            Node conv = Conv2DOp<SequentialNet.Backends.Relu>.Emit(g, new SequentialNet.Backends.Relu(), new ConvSpec(3, 3, 1, 1, 1, 1, "same"), v[0], v[1], v[2]);
            var window = new ConvSpec(2, 2, 2, 2, 1, 1, "valid");
            return g.AddN(Pool2DOp.Emit(g, SequentialNet.Backends.PoolKind.Max, window, conv), Pool2DOp.Emit(g, SequentialNet.Backends.PoolKind.Average, window, conv));
        }, differentiable: [false, true, true]);
        yield return new("spatial_dropout_batch1", [[1, 3, 1, 2]], (g, v) => ScaleChannelsOp.Emit(g, v[0], ChannelMask(g, v[0], 0.5f, 2)));
    }
}
