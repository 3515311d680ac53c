namespace SequentialNet;

/// <summary>
/// Element counts of shapes that come from a file or a user, checked: a product past what one array
/// holds is an error that names the caller and the shape, never a number that wrapped around
/// (65536·65536·2 is 0 in 32-bit arithmetic, 46341² is negative).
/// </summary>
internal static class ShapeSize
{
    /// <summary>
    /// The product of <paramref name="shape"/>; <paramref name="who"/> (e.g. "Layer \"flatten\" (Flatten)")
    /// and <paramref name="what"/> (e.g. "values per sample") name it in the error.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is negative or the product exceeds <see cref="int.MaxValue"/>.</exception>
    public static int Of(ReadOnlySpan<int> shape, string who, string what = "values per sample")
    {
        long product = Saturating(shape);
        if (product < 0)
            throw new ArgumentException($"{who}: expected dimensions >= 0. Received: shape {Tensor.FormatShape(shape)}.");
        if (product > int.MaxValue)
            throw new ArgumentException($"{who}: expected at most {int.MaxValue} {what}. Received: shape {Tensor.FormatShape(shape)} ({Describe(shape)} {what}).");
        return (int)product;
    }

    /// <summary>
    /// The product of <paramref name="shape"/>, exact up to <see cref="long.MaxValue"/> and stuck there
    /// beyond it (0 when a dimension is 0); -1 when a dimension is negative.
    /// </summary>
    public static long Saturating(ReadOnlySpan<int> shape)
    {
        long product = 1;
        bool saturated = false;
        foreach (int d in shape)
        {
            if (d < 0) return -1;
            if (d == 0) return 0;   // zero wins over any saturated product
            if (saturated || product > long.MaxValue / d) saturated = true;
            else product *= d;
        }
        return saturated ? long.MaxValue : product;
    }

    /// <summary>The product for a message: exact when it fits a long, else about its size in powers of ten.</summary>
    private static string Describe(ReadOnlySpan<int> shape)
    {
        long exact = Saturating(shape);
        if (exact != long.MaxValue) return exact.ToString(System.Globalization.CultureInfo.InvariantCulture);
        double log10 = 0;
        foreach (int d in shape) log10 += Math.Log10(d);
        return $"about 10^{Math.Floor(log10).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
