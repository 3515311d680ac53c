using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// Base of the affine augmentation layers (RandomFlip, RandomRotation, RandomTranslation, RandomZoom): in
/// training each sample gets its own random affine warp of the transform family <c>Spec</c>, drawn from Philox at
/// (seed, optimizer step, layer index, sample) on the device; in Evaluate and Predict the identity. The output
/// shape is the input shape.
/// </summary>
public abstract class AffineAugmentation : ImageAugmentation
{
    private protected AffineAugmentation(string? name, int[]? inputShape) : base(name, inputShape) { }

    /// <summary>The transform family this layer draws from.</summary>
    private protected abstract AugmentSpec Spec { get; }

    internal override Node Call(LayerContext ctx, Node x)
    {
        ComputeOutputShape(x.Shape);
        if (!ctx.Training) return x;
        return ctx.Graph.Augment(x, Spec, (uint)ctx.LayerIndex);
    }

    private protected override void AugmentOnHost(float[] images, float[] output, int batch, int height, int width, int channels, ulong seed, uint step, uint stream)
    {
        int image = height * width * channels;
        var spec = Spec;
        for (int b = 0; b < batch; b++)
        {
            var t = AugmentMath.Draw(spec, height, width, seed, step, stream, b);
            AugmentMath.Warp(images.AsSpan(b * image, image), output.AsSpan(b * image, image), height, width, channels, spec, t);
        }
    }
}
