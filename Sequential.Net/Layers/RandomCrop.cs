using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// Keras RandomCrop: (H, W, C) images in, (height, width, C) out. In training, when the input is larger than
/// (height, width) in both dimensions, every image of a batch is cropped at the same random offset
/// (floor(U·(H − height + 1)), floor(U·(W − width + 1))), drawn from Philox at (seed, optimizer step, layer index)
/// on the device. Otherwise (Evaluate, Predict, or a training input that is not larger) the images are
/// smart-resized: the largest centred box of the target aspect ratio, resized bilinearly to (height, width)
/// (copied when it already has that size). Unlike the other augmentation layers, inference is not the identity.
/// </summary>
public sealed class RandomCrop : ImageAugmentation
{
    /// <summary>Creates the layer: output images of (height, width); seed, when given, keys the layer's draws
    /// instead of the model's seed.</summary>
    /// <exception cref="ArgumentException">height or width is not positive.</exception>
    public RandomCrop(int height, int width, int? seed = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"RandomCrop: expected a positive height and width. Received: height={height}, width={width}.", height <= 0 ? nameof(height) : nameof(width));
        Height = height; Width = width; Seed = seed;
    }

    /// <summary>Output height.</summary>
    public int Height { get; }
    /// <summary>Output width.</summary>
    public int Width { get; }
    /// <summary>The layer's Philox key, or null for the model's seed.</summary>
    public int? Seed { get; }

    private protected override ulong? LayerSeed => Seed is int s ? unchecked((ulong)s) : null;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input is not (height, width, channels).</exception>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        base.ComputeOutputShape(inputShape);
        return [Height, Width, inputShape[2]];
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        var spec = CropSpec.For(x.Shape[0], x.Shape[1], Height, Width, ctx.Training);
        // The box of an input already of the output size is the whole image: nothing to do.
        if (!spec.RandomOffsets && spec.BoxHeight == x.Shape[0] && spec.BoxWidth == x.Shape[1] && Height == x.Shape[0] && Width == x.Shape[1]) return x;
        return ctx.Graph.Crop(x, spec, (uint)ctx.LayerIndex, LayerSeed);
    }

    private protected override void AugmentOnHost(float[] images, float[] output, int batch, int height, int width, int channels, ulong seed, uint step, uint stream)
    {
        var spec = CropSpec.For(height, width, Height, Width, training: true);
        var (top, left, rows, columns) = AugmentMath.CropBox(spec, height, width, seed, step, stream);
        int image = height * width * channels, outImage = Height * Width * channels;
        for (int b = 0; b < batch; b++)
            AugmentMath.CropResize(images.AsSpan(b * image, image), output.AsSpan(b * outImage, outImage), height, width, channels, top, left, rows, columns, Height, Width);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["height"] = Height;
        config["width"] = Width;
        config["seed"] = Seed;
        return config;
    }
}
