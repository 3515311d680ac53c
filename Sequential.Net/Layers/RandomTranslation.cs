using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>
/// Keras RandomTranslation: in training, shifts each image by U(lower, upper)·height down and U(lower, upper)·width
/// right; the identity otherwise. Factors: [f] means [−f, f], [lower, upper] a range, values in [−1, 1].
/// </summary>
public sealed class RandomTranslation : AffineAugmentation
{
    private readonly AugmentSpec _spec;

    /// <summary>Creates the layer.</summary>
    public RandomTranslation(double[] heightFactor, double[] widthFactor, string fillMode = "reflect", string interpolation = "bilinear",
        double fillValue = 0, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        var (h0, h1) = Range("RandomTranslation", nameof(heightFactor), heightFactor, 1);
        var (w0, w1) = Range("RandomTranslation", nameof(widthFactor), widthFactor, 1);
        _spec = new AugmentSpec
        {
            HeightTranslationLower = h0, HeightTranslationUpper = h1, WidthTranslationLower = w0, WidthTranslationUpper = w1,
            Fill = ParseFill("RandomTranslation", fillMode), Interpolation = ParseInterpolation("RandomTranslation", interpolation),
            FillValue = CheckFillValue("RandomTranslation", fillValue),
        };
        HeightFactor = (double[])heightFactor.Clone(); WidthFactor = (double[])widthFactor.Clone();
        FillMode = fillMode; Interpolation = interpolation; FillValue = fillValue;
    }

    /// <summary>The height factor as given.</summary>
    public double[] HeightFactor { get; }
    /// <summary>The width factor as given.</summary>
    public double[] WidthFactor { get; }
    /// <summary>Keras fill_mode.</summary>
    public string FillMode { get; }
    /// <summary>Keras interpolation.</summary>
    public string Interpolation { get; }
    /// <summary>Keras fill_value.</summary>
    public double FillValue { get; }

    private protected override AugmentSpec Spec => _spec;

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["height_factor"] = (double[])HeightFactor.Clone();
        config["width_factor"] = (double[])WidthFactor.Clone();
        config["fill_mode"] = FillMode;
        config["interpolation"] = Interpolation;
        config["fill_value"] = FillValue;
        return config;
    }
}
