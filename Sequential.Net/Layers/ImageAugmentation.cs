using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// Base of the image augmentation layers: inputs (height, width, channels) per sample, random draws from Philox
/// at (seed, optimizer step, layer index) on the device. The affine layers (<see cref="AffineAugmentation"/>:
/// RandomFlip, RandomRotation, RandomTranslation, RandomZoom) warp each sample in training and are the identity
/// in Evaluate and Predict; <see cref="RandomCrop"/> changes the image size in every mode.
/// </summary>
public abstract class ImageAugmentation : Layer
{
    private protected ImageAugmentation(string? name, int[]? inputShape) : base(name, inputShape) { }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input is not (height, width, channels).</exception>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (inputShape.Length != 3 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"Layer \"{Name}\" ({GetType().Name}): expected image inputs of shape (height, width, channels). Received: input shape {Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        return inputShape;
    }

    /// <summary>
    /// Applies the layer to (batch, height, width, channels) images on the host as it does in training at
    /// optimizer step <paramref name="step"/> under <paramref name="seed"/> (default: the layer's own seed if it
    /// has one, else <see cref="Utils.Seed"/>) and random stream <paramref name="stream"/> (in a model, the
    /// layer's index), e.g. to look at what it does. The result has the layer's output shape per sample.
    /// </summary>
    /// <exception cref="ArgumentException">The images are not (batch, height, width, channels).</exception>
    public Tensor Augment(Tensor images, int step = 0, int stream = 0, ulong? seed = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        var shape = images.Shape;
        if (shape.Length != 4)
            throw new ArgumentException($"Layer \"{Name}\" ({GetType().Name}).Augment: expected images of shape (batch, height, width, channels). Received: shape {Tensor.FormatShape(shape)}.", nameof(images));
        int[] outShape = ComputeOutputShape(shape[1..]);
        var output = new float[shape[0] * outShape[0] * outShape[1] * outShape[2]];
        AugmentOnHost(images.Data, output, shape[0], shape[1], shape[2], shape[3], seed ?? LayerSeed ?? Utils.Seed, (uint)step, (uint)stream);
        return new Tensor(output, [shape[0], .. outShape]);
    }

    /// <summary>The layer's own Philox key, or null to use the model's seed.</summary>
    private protected virtual ulong? LayerSeed => null;

    /// <summary>
    /// The training transform on the host: images (batch, height, width, channels) into
    /// <paramref name="output"/> (batch, output shape).
    /// </summary>
    private protected abstract void AugmentOnHost(float[] images, float[] output, int batch, int height, int width, int channels, ulong seed, uint step, uint stream);

    // ---- argument checks shared by the layers ------------------------------------------------------

    /// <summary>A factor as Keras reads it: one value f is [−f, f], two are (lower, upper).</summary>
    private protected static (float Lower, float Upper) Range(string layer, string parameter, double[]? factor, double limit)
    {
        if (factor == null || factor.Length is not (1 or 2))
            throw new ArgumentException($"{layer}: expected {parameter} to be one value f (the range [-f, f]) or a pair (lower, upper). Received: {Describe(factor)}.", parameter);
        double lower = factor.Length == 1 ? -Math.Abs(factor[0]) : factor[0], upper = factor.Length == 1 ? Math.Abs(factor[0]) : factor[1];
        if (!double.IsFinite(lower) || !double.IsFinite(upper) || lower > upper)
            throw new ArgumentException($"{layer}: expected {parameter} to be finite with lower <= upper. Received: {parameter}={Describe(factor)}.", parameter);
        if (lower < -limit || upper > limit)
            throw new ArgumentException($"{layer}: expected {parameter} values in [{-limit}, {limit}]. Received: {parameter}={Describe(factor)}.", parameter);
        return ((float)lower, (float)upper);
    }

    /// <summary>Parses Keras's fill_mode.</summary>
    private protected static FillMode ParseFill(string layer, string fillMode) => fillMode switch
    {
        "reflect" => FillMode.Reflect,
        "constant" => FillMode.Constant,
        "nearest" => FillMode.Nearest,
        "wrap" => FillMode.Wrap,
        _ => throw new ArgumentException($"{layer}: unknown fill_mode \"{fillMode}\". Expected one of \"reflect\", \"constant\", \"nearest\", \"wrap\".", nameof(fillMode)),
    };

    /// <summary>Parses Keras's interpolation.</summary>
    private protected static Interpolation ParseInterpolation(string layer, string interpolation) => interpolation switch
    {
        "bilinear" => Interpolation.Bilinear,
        "nearest" => Interpolation.Nearest,
        _ => throw new ArgumentException($"{layer}: unknown interpolation \"{interpolation}\". Expected \"bilinear\" or \"nearest\".", nameof(interpolation)),
    };

    /// <summary>Checks fill_value.</summary>
    private protected static float CheckFillValue(string layer, double fillValue)
        => double.IsFinite(fillValue) ? (float)fillValue
            : throw new ArgumentException($"{layer}: expected a finite fill_value. Received: fill_value={fillValue}.", nameof(fillValue));

    private static string Describe(double[]? v) => v == null ? "null" : $"[{string.Join(", ", v)}]";
}
