using ScottPlot;
using SequentialNet.Callbacks;

namespace SequentialNet.Plotting;

/// <summary>
/// <c>history.Plot("curves.png")</c>: the training curves of a <see cref="History"/> as one PNG, one panel per
/// quantity (loss, then each metric, in the order Fit logged them), each with its training curve and, when
/// Fit validated, its validation curve (<c>val_…</c>) — what a Keras user draws with matplotlib from
/// <c>history.history</c>.
/// </summary>
public static class HistoryPlots
{
    /// <summary>Default width of one panel, in pixels.</summary>
    public const int PanelWidth = 480;

    /// <summary>Default height of the image, in pixels.</summary>
    public const int DefaultHeight = 360;

    /// <summary>
    /// Writes the training curves of <paramref name="history"/> to <paramref name="path"/> (PNG):
    /// panels side by side, x = epoch (1-based, as Fit prints it), training in blue, validation in orange.
    /// Non-finite values (a NaN loss) are left out of the curve.
    /// </summary>
    /// <param name="history">What <c>Model.Fit</c> returned.</param>
    /// <param name="path">The PNG file to write (its folder must exist).</param>
    /// <param name="width">Image width in pixels; default <see cref="PanelWidth"/> per panel.</param>
    /// <param name="height">Image height in pixels; default <see cref="DefaultHeight"/>.</param>
    /// <returns>The quantities drawn, one per panel, in order (e.g. ["loss", "accuracy"]).</returns>
    /// <exception cref="ArgumentException">The history has no epochs, or the path or size is invalid.</exception>
    public static IReadOnlyList<string> Plot(this History history, string path, int? width = null, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(history);
        PngFile.CheckPath(path, nameof(path));
        var quantities = Quantities(history.Metrics.Keys);
        if (history.Epochs.Count == 0 || quantities.Count == 0)
            throw new ArgumentException("History.Plot expected a history with at least one epoch of logged values. Received: an empty history (did Fit run?).", nameof(history));
        int w = width ?? PanelWidth * quantities.Count;
        PngFile.CheckSize(w, height);

        var multiplot = new ScottPlot.Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        multiplot.AddPlots(quantities.Count);
        double[] epochs = history.Epochs.Select(e => e + 1.0).ToArray();
        for (int i = 0; i < quantities.Count; i++)
            DrawPanel(multiplot.GetPlot(i), quantities[i], epochs, history.Metrics);
        multiplot.SavePng(path, w, height);
        return quantities;
    }

    /// <summary>
    /// The panels: each logged name without its <c>val_</c> prefix, once, in logging order with "loss" first.
    /// </summary>
    internal static List<string> Quantities(IEnumerable<string> logged)
    {
        var names = new List<string>();
        foreach (string key in logged)
        {
            string name = key.StartsWith("val_", StringComparison.Ordinal) ? key[4..] : key;
            if (!names.Contains(name)) names.Add(name);
        }
        if (names.Remove("loss")) names.Insert(0, "loss");
        return names;
    }

    private static void DrawPanel(ScottPlot.Plot plot, string quantity, double[] epochs, IReadOnlyDictionary<string, IReadOnlyList<double>> metrics)
    {
        PlotFonts.Apply(plot);
        if (metrics.TryGetValue(quantity, out var train)) AddCurve(plot, epochs, train, "training", Colors.C0);
        if (metrics.TryGetValue("val_" + quantity, out var val)) AddCurve(plot, epochs, val, "validation", Colors.C1);
        plot.Title(quantity);
        plot.XLabel("epoch");
        plot.YLabel(quantity);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // The legend goes where the curve is not: top right for a falling curve (a loss), bottom right for a rising one.
        bool rising = train != null && train.Count > 1 && train[^1] > train[0];
        plot.ShowLegend(rising ? Alignment.LowerRight : Alignment.UpperRight);
    }

    private static void AddCurve(ScottPlot.Plot plot, double[] epochs, IReadOnlyList<double> values, string label, Color color)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < Math.Min(epochs.Length, values.Count); i++)
        {
            if (!double.IsFinite(values[i])) continue;
            xs.Add(epochs[i]);
            ys.Add(values[i]);
        }
        var curve = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), color);
        curve.LegendText = label;
        curve.LineWidth = 2;
        curve.MarkerSize = xs.Count <= 30 ? 5 : 0;
    }
}
