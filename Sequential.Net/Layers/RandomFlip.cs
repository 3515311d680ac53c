using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>
/// Keras RandomFlip: in training, flips each image left-right ("horizontal"), top-bottom ("vertical") or
/// each independently ("horizontal_and_vertical"), each with probability 0.5; the identity otherwise.
/// </summary>
public sealed class RandomFlip : AffineAugmentation
{
    /// <summary>Creates the layer; mode is "horizontal", "vertical" or "horizontal_and_vertical".</summary>
    public RandomFlip(string mode = "horizontal_and_vertical", int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (mode is not ("horizontal" or "vertical" or "horizontal_and_vertical"))
            throw new ArgumentException($"RandomFlip: unknown mode \"{mode}\". Expected \"horizontal\", \"vertical\" or \"horizontal_and_vertical\".", nameof(mode));
        Mode = mode;
    }

    /// <summary>The flips drawn.</summary>
    public string Mode { get; }

    private protected override AugmentSpec Spec => new()
    {
        FlipHorizontal = Mode != "vertical",
        FlipVertical = Mode != "horizontal",
        Interpolation = Interpolation.Nearest,
    };

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["mode"] = Mode;
        return config;
    }
}
