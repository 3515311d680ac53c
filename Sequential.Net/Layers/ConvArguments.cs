using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Layers;

/// <summary>Argument checks and shape rules shared by the convolution and pooling layers (Keras 3's wording).</summary>
internal static class ConvArguments
{
    /// <summary>An int or a tuple of <paramref name="rank"/> ints, every one ≥ 1 (Keras's standardize_tuple).</summary>
    public static int[] Tuple(string layer, string argument, int[]? value, int rank, int fallback)
    {
        int[] given = value ?? [fallback];
        value = given.Length == 1 && rank > 1 ? Enumerable.Repeat(given[0], rank).ToArray() : given;
        if (value.Length != rank || value.Any(v => v <= 0))
            throw new ArgumentException($"{layer}: the `{argument}` argument must be a tuple of {rank} integers >= 1. Received: {argument}={Describe(given)}.", argument);
        return (int[])value.Clone();
    }

    /// <summary>Keras refuses strides &gt; 1 together with dilation &gt; 1.</summary>
    public static void StridesWithDilation(string layer, int[] strides, int[] dilation)
    {
        if (strides.Any(s => s > 1) && dilation.Any(d => d > 1))
            throw new ArgumentException($"{layer}: `strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides={Describe(strides)} and dilation_rate={Describe(dilation)}.");
    }

    /// <summary>Keras: groups ≥ 1 and filters divisible by groups.</summary>
    public static int Groups(string layer, int groups, int filters)
    {
        if (groups <= 0)
            throw new ArgumentException($"{layer}: invalid value for argument `groups`. Expected a strictly positive value. Received groups={groups}.", nameof(groups));
        if (filters % groups != 0)
            throw new ArgumentException($"{layer}: the number of filters must be evenly divisible by the number of groups. Received: groups={groups}, filters={filters}.", nameof(groups));
        return groups;
    }

    /// <summary>Keras: the input channels divisible by groups (checked before the kernel is made).</summary>
    public static void RequireGroupedChannels(Layer layer, int groups, int[] inputShape)
    {
        if (inputShape[^1] % groups != 0)
            throw new ArgumentException($"Layer \"{layer.Name}\" ({layer.GetType().Name}): the number of input channels must be evenly divisible by the number of groups. Received groups={groups}, but the input has {inputShape[^1]} channels (full input shape is {Batched(inputShape)}).", nameof(inputShape));
    }

    /// <summary>f(grouped_conv(x, K) + b): the grouped convolution (no fused epilogue), then the bias and f as their own ops.</summary>
    public static Node ConvolveGrouped(GraphBuilder g, ActivationFunction f, ConvSpec spec, int groups, Node x, Node kernel, Node? bias)
    {
        Node y = GroupedConv2DOp.Emit(g, spec, groups, x, kernel);
        if (bias != null) y = g.BiasAdd(y, bias);
        return f.Apply(g, y);
    }

    /// <summary>Requires (…spatial, channels) of <paramref name="rank"/> spatial axes.</summary>
    public static void RequireRank(Layer layer, int[] inputShape, int rank)
    {
        if (inputShape.Length != rank + 1)
            throw new ArgumentException($"Input 0 of layer \"{layer.Name}\" ({layer.GetType().Name}) is incompatible with the layer: expected ndim={rank + 2}, found ndim={inputShape.Length + 1}. Full shape received: {Batched(inputShape)}.");
    }

    /// <summary>The shape as Keras prints it, with the batch axis: (None, 28, 28, 1).</summary>
    public static string Batched(int[] shape) => "(None" + string.Concat(shape.Select(d => ", " + d)) + ")";

    /// <summary>Output spatial sizes for (H, W, C) input with TensorFlow's padding; errors name the layer.</summary>
    public static (int H, int W) Output(Layer layer, int[] inputShape, ConvSpec spec)
    {
        try
        {
            var (h, w, _, _) = spec.Output(inputShape[0], inputShape[1], $"Layer \"{layer.Name}\" ({layer.GetType().Name}) with input shape {Batched(inputShape)}");
            return (h, w);
        }
        catch (ArgumentException e) { throw new ArgumentException(e.Message, nameof(inputShape), e); }
    }

    public static string Describe(int[] v) => v.Length == 1 ? v[0].ToString() : "(" + string.Join(", ", v) + ")";

    /// <summary>
    /// f(conv(x, K) + b) with f fused into the convolution when its derivative can be read at the output
    /// (linear, relu, leaky_relu with a slope ≥ 0); otherwise the bias only, then f's own ops.
    /// </summary>
    public static Node Convolve(GraphBuilder g, ActivationFunction f, ConvSpec spec, Node x, Node kernel, Node? bias)
    {
        if (bias == null) return f.Apply(g, Conv2DOp<Backends.Identity>.Emit(g, new Backends.Identity(), spec, x, kernel, null));
        float slope = f.Config?.TryGetValue("negative_slope", out var v) == true ? Convert.ToSingle(v, System.Globalization.CultureInfo.InvariantCulture) : -1f;
        return f.Name switch
        {
            "relu" => Conv2DOp<Backends.Relu>.Emit(g, new Backends.Relu(), spec, x, kernel, bias),
            "linear" => Conv2DOp<Backends.Identity>.Emit(g, new Backends.Identity(), spec, x, kernel, bias),
            "leaky_relu" when slope >= 0f => Conv2DOp<Backends.LeakyRelu>.Emit(g, new Backends.LeakyRelu(slope), spec, x, kernel, bias),
            _ => f.Apply(g, Conv2DOp<Backends.Identity>.Emit(g, new Backends.Identity(), spec, x, kernel, bias)),
        };
    }
}
