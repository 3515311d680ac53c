using ScottPlot;

namespace SequentialNet.Plotting;

/// <summary>Draws a confusion matrix as a grid of cells shaded by count, each labelled with its count.</summary>
internal static class ConfusionMatrixPlot
{
    public static void Save(int[,] counts, IReadOnlyList<string> classNames, string path, int width, int height)
    {
        int n = counts.GetLength(0);
        int max = 1;
        foreach (int c in counts) max = Math.Max(max, c);
        var plot = new Plot();
        PlotFonts.Apply(plot);
        float fontSize = Math.Clamp(220f / n, 7f, 16f);
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
            {
                // Row t of the matrix is drawn at the top for t = 0, like a printed matrix.
                double top = n - t, bottom = top - 1;
                double shade = counts[t, p] / (double)max;
                var cell = plot.Add.Rectangle(p, p + 1, bottom, top);
                cell.FillColor = Shade(shade);
                cell.LineColor = Colors.White;
                var label = plot.Add.Text(counts[t, p].ToString(System.Globalization.CultureInfo.InvariantCulture), p + 0.5, bottom + 0.5);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = fontSize;
                label.LabelFontColor = shade > 0.5 ? Colors.White : Colors.Black;
            }
        double[] centres = Enumerable.Range(0, n).Select(i => i + 0.5).ToArray();
        plot.Axes.Bottom.SetTicks(centres, classNames.ToArray());
        plot.Axes.Left.SetTicks(centres.Reverse().ToArray(), classNames.ToArray());
        if (classNames.Any(name => name.Length > 3))
        {
            // Long class names would overlap side by side: slant them, and give the axis room for them.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
            plot.Axes.Bottom.MinimumSize = 16 + 6 * classNames.Max(name => name.Length);
        }
        plot.Axes.SetLimits(0, n, 0, n);
        plot.HideGrid();
        plot.Title("Confusion matrix");
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        plot.SavePng(path, width, height);
    }

    // White (0) to a dark blue (1), as matplotlib's "Blues" colour map.
    private static Color Shade(double t)
    {
        t = Math.Clamp(t, 0, 1);
        byte Mix(byte from, byte to) => (byte)Math.Round(from + (to - from) * t);
        return new Color(Mix(247, 8), Mix(251, 48), Mix(255, 107));
    }
}
