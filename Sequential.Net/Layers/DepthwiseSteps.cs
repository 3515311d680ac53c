using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>The depthwise step shared by <see cref="DepthwiseConv2D"/> and <see cref="SeparableConv2D"/>.</summary>
internal static class DepthwiseSteps
{
    /// <summary>Keras: depth_multiplier ≥ 1.</summary>
    public static int Multiplier(string who, int depthMultiplier) => depthMultiplier > 0 ? depthMultiplier
        : throw new ArgumentException($"{who}: invalid value for argument `depth_multiplier`. Expected a strictly positive value. Received depth_multiplier={depthMultiplier}.", nameof(depthMultiplier));

    /// <summary>
    /// x (…, H, W, C) convolved channel by channel with K (kh, kw, C, M) into (…, OH, OW, C·M), channel c·M + m as
    /// in Keras: K viewed as the grouped kernel (kh, kw, 1, C·M) (the same memory) with groups = C.
    /// </summary>
    public static Node Apply(GraphBuilder g, ConvSpec spec, Node x, Node kernel)
    {
        int[] k = kernel.Shape;
        Node grouped = g.Reshape(kernel, [k[0], k[1], 1, k[2] * k[3]]);
        return GroupedConv2DOp.Emit(g, spec, k[2], x, grouped);
    }

    /// <summary>Requires the input's channels to be those the depthwise kernel was built for.</summary>
    public static void RequireChannels(Layer layer, Variable? depthwiseKernel, int[] inputShape)
    {
        if (depthwiseKernel != null && depthwiseKernel.Shape[2] != inputShape[2])
            throw new ArgumentException($"Input 0 of layer \"{layer.Name}\" ({layer.GetType().Name}) is incompatible with the layer: expected axis -1 of input shape to have value {depthwiseKernel.Shape[2]} (the depthwise kernel's input channels), but received input with shape {ConvArguments.Batched(inputShape)}.", nameof(inputShape));
    }
}
