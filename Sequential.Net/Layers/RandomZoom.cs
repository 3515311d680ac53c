using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>
/// Keras RandomZoom: in training, scales each image about its centre by 1 + U(lower, upper) per axis (positive
/// zooms out, negative in); the identity otherwise. Factors: [f] means [−f, f], [lower, upper] a range, values
/// in [−1, 1]; widthFactor null zooms both axes by the height's draw, keeping the aspect ratio.
/// </summary>
public sealed class RandomZoom : AffineAugmentation
{
    private readonly AugmentSpec _spec;

    /// <summary>Creates the layer.</summary>
    public RandomZoom(double[] heightFactor, double[]? widthFactor = null, string fillMode = "reflect", string interpolation = "bilinear",
        double fillValue = 0, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        var (h0, h1) = Range("RandomZoom", nameof(heightFactor), heightFactor, 1);
        var (w0, w1) = widthFactor == null ? (0f, 0f) : Range("RandomZoom", nameof(widthFactor), widthFactor, 1);
        _spec = new AugmentSpec
        {
            HeightZoomLower = h0, HeightZoomUpper = h1, WidthZoomLower = w0, WidthZoomUpper = w1, WidthZoomFollowsHeight = widthFactor == null,
            Fill = ParseFill("RandomZoom", fillMode), Interpolation = ParseInterpolation("RandomZoom", interpolation),
            FillValue = CheckFillValue("RandomZoom", fillValue),
        };
        HeightFactor = (double[])heightFactor.Clone(); WidthFactor = (double[]?)widthFactor?.Clone();
        FillMode = fillMode; Interpolation = interpolation; FillValue = fillValue;
    }

    /// <summary>The height factor as given.</summary>
    public double[] HeightFactor { get; }
    /// <summary>The width factor as given, or null.</summary>
    public double[]? WidthFactor { get; }
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
        config["width_factor"] = (double[]?)WidthFactor?.Clone();
        config["fill_mode"] = FillMode;
        config["interpolation"] = Interpolation;
        config["fill_value"] = FillValue;
        return config;
    }
}
