namespace SequentialNet.Plotting;

/// <summary>Argument checks shared by every plot that writes a PNG file.</summary>
internal static class PngFile
{
    /// <summary>Largest width or height accepted, in pixels (a typo such as 48000 fails before any drawing).</summary>
    public const int MaxSide = 16384;

    public static void CheckPath(string path, string parameter)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("Expected the path of a PNG file to write. Received: an empty path.", parameter);
    }

    public static void CheckSize(int width, int height)
    {
        if (width < 64 || height < 64 || width > MaxSide || height > MaxSide)
            throw new ArgumentException($"Expected an image size between 64 and {MaxSide} pixels on each side. Received: {width}x{height}.");
    }
}
