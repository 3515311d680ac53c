using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>
/// Keras RandomRotation: in training, rotates each image about its centre by 2π·U(lower, upper) (positive is
/// counter-clockwise); the identity otherwise. factor: [f] means [−f, f], [lower, upper] a range.
/// </summary>
public sealed class RandomRotation : AffineAugmentation
{
    private readonly AugmentSpec _spec;

    /// <summary>Creates the layer.</summary>
    public RandomRotation(double[] factor, string fillMode = "reflect", string interpolation = "bilinear", double fillValue = 0,
        int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        var (lower, upper) = Range("RandomRotation", nameof(factor), factor, double.MaxValue);
        _spec = new AugmentSpec
        {
            RotationLower = lower, RotationUpper = upper,
            Fill = ParseFill("RandomRotation", fillMode), Interpolation = ParseInterpolation("RandomRotation", interpolation),
            FillValue = CheckFillValue("RandomRotation", fillValue),
        };
        Factor = (double[])factor.Clone(); FillMode = fillMode; Interpolation = interpolation; FillValue = fillValue;
    }

    /// <summary>The factor as given.</summary>
    public double[] Factor { get; }
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
        config["factor"] = (double[])Factor.Clone();
        config["fill_mode"] = FillMode;
        config["interpolation"] = Interpolation;
        config["fill_value"] = FillValue;
        return config;
    }
}
