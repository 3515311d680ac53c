namespace SequentialNet.Backends;

/// <summary>How an affine warp fills output pixels whose source lies outside the image (Keras's fill_mode).</summary>
public enum FillMode
{
    /// <summary>(d c b a | a b c d | d c b a): reflect about the edge of the last pixel (Keras's default).</summary>
    Reflect = 0,
    /// <summary>(k k k k | a b c d | k k k k): the fill value.</summary>
    Constant = 1,
    /// <summary>(a a a a | a b c d | d d d d): the nearest edge pixel.</summary>
    Nearest = 2,
    /// <summary>(a b c d | a b c d | a b c d): wrap around to the opposite edge.</summary>
    Wrap = 3,
}

/// <summary>How an affine warp samples between pixels (Keras's interpolation).</summary>
public enum Interpolation
{
    /// <summary>Bilinear (Keras's default).</summary>
    Bilinear = 0,
    /// <summary>The nearest pixel (coordinates rounded half to even).</summary>
    Nearest = 1,
}

/// <summary>
/// The random transform family of <see cref="IBackend.AffineWarp"/>: flips with probability 0.5, a rotation of
/// 2π·U(lower, upper) (Keras RandomRotation), translations of U(lower, upper)·size, and zooms of
/// 1 + U(lower, upper) per axis (Keras RandomZoom: positive zooms out). Ranges of (0, 0) leave an axis alone.
/// </summary>
public readonly struct AugmentSpec
{
    /// <summary>Flips left-right with probability 0.5.</summary>
    public bool FlipHorizontal { get; init; }
    /// <summary>Flips top-bottom with probability 0.5.</summary>
    public bool FlipVertical { get; init; }
    /// <summary>Rotation range as fractions of 2π (positive is counter-clockwise).</summary>
    public float RotationLower { get; init; }
    /// <inheritdoc cref="RotationLower"/>
    public float RotationUpper { get; init; }
    /// <summary>Vertical translation range as fractions of the height.</summary>
    public float HeightTranslationLower { get; init; }
    /// <inheritdoc cref="HeightTranslationLower"/>
    public float HeightTranslationUpper { get; init; }
    /// <summary>Horizontal translation range as fractions of the width.</summary>
    public float WidthTranslationLower { get; init; }
    /// <inheritdoc cref="WidthTranslationLower"/>
    public float WidthTranslationUpper { get; init; }
    /// <summary>Vertical zoom range: the zoom is 1 + U(lower, upper).</summary>
    public float HeightZoomLower { get; init; }
    /// <inheritdoc cref="HeightZoomLower"/>
    public float HeightZoomUpper { get; init; }
    /// <summary>Horizontal zoom range, unless <see cref="WidthZoomFollowsHeight"/>.</summary>
    public float WidthZoomLower { get; init; }
    /// <inheritdoc cref="WidthZoomLower"/>
    public float WidthZoomUpper { get; init; }
    /// <summary>Uses the vertical zoom for both axes (Keras RandomZoom with width_factor=None).</summary>
    public bool WidthZoomFollowsHeight { get; init; }
    /// <summary>Fill of points outside the image.</summary>
    public FillMode Fill { get; init; }
    /// <summary>The value of <see cref="FillMode.Constant"/>.</summary>
    public float FillValue { get; init; }
    /// <summary>The sampling rule.</summary>
    public Interpolation Interpolation { get; init; }

    /// <summary>Flags as the kernel reads them: bit 0 horizontal flip, bit 1 vertical flip, bit 2 zoom width follows height.</summary>
    internal int Flags => (FlipHorizontal ? 1 : 0) | (FlipVertical ? 2 : 0) | (WidthZoomFollowsHeight ? 4 : 0);
}
