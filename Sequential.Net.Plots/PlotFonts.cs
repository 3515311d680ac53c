using SkiaSharp;

namespace SequentialNet.Plotting;

/// <summary>
/// The one sans-serif font every plot of this package uses: the first of <see cref="Preferred"/> installed on
/// the system, else ScottPlot's own choice (which on Debian is a serif face, hence the list).
/// </summary>
internal static class PlotFonts
{
    /// <summary>Sans-serif families in order of preference (Debian's fonts-dejavu-core first).</summary>
    public static readonly string[] Preferred = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans"];

    private static readonly Lazy<string> Family = new(() =>
    {
        var installed = SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Preferred.FirstOrDefault(installed.Contains) ?? ScottPlot.Fonts.Sans;
    });

    /// <summary>The family name used.</summary>
    public static string Sans => Family.Value;

    /// <summary>The SkiaSharp typeface of <see cref="Sans"/>, for drawing text outside a ScottPlot plot.</summary>
    public static SKTypeface Typeface(bool bold = false) => ScottPlot.Fonts.GetTypeface(Sans, bold, italic: false);

    /// <summary>Sets every text of <paramref name="plot"/> (title, axis labels, ticks, legend) to <see cref="Sans"/>.</summary>
    public static void Apply(ScottPlot.Plot plot) => plot.Font.Set(Sans);
}
