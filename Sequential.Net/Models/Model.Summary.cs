using System.Globalization;
using System.Text;

namespace SequentialNet;

// Summary: Keras 3's table (Layer (type) | Output Shape | Param #) and parameter totals.
public abstract partial class Model
{
    /// <summary>Prints the layer table and parameter counts, as Keras's <c>model.summary()</c>.</summary>
    public void Summary(TextWriter? output = null) => (output ?? Console.Out).Write(SummaryText());

    /// <summary>The text <see cref="Summary"/> prints.</summary>
    public string SummaryText()
    {
        if (InputShape != null) BuildLayers(InputShape);   // Keras builds a Sequential as soon as its input shape is known
        int[] widths = [33, 24, 15];
        var sb = new StringBuilder();
        sb.AppendLine($"Model: \"{Name}\"");
        sb.AppendLine(Rule('┏', '┳', '┓', '━', widths));
        sb.AppendLine(Row('┃', widths, "Layer (type)", "Output Shape", "Param #"));
        sb.AppendLine(Rule('┡', '╇', '┩', '━', widths));
        int[]? shape = InputShape;
        for (int i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            string outShape = "?";
            if (shape != null)
            {
                shape = layer.ComputeOutputShape(shape);
                outShape = "(None, " + string.Join(", ", shape) + ")";
            }
            string count = layer.Built || layer.CountParams() > 0 ? layer.CountParams().ToString("N0", CultureInfo.InvariantCulture) : "0 (unbuilt)";
            sb.AppendLine(Row('│', widths, $"{layer.Name} ({layer.GetType().Name})", outShape, count));
            if (i < Layers.Count - 1) sb.AppendLine(Rule('├', '┼', '┤', '─', widths));
        }
        sb.AppendLine(Rule('└', '┴', '┘', '─', widths));
        long trainable = Layers.Sum(l => l.TrainableWeights.Sum(w => (long)w.Length));
        long total = Layers.Sum(l => (long)l.CountParams());
        sb.AppendLine($" Total params: {Count(total)}");
        sb.AppendLine($" Trainable params: {Count(trainable)}");
        sb.AppendLine($" Non-trainable params: {Count(total - trainable)}");
        if (Optimizer != null && Optimizer.Iterations > 0)
            sb.AppendLine($" Optimizer params: {Count(trainable * OptimizerSlots() + 2)}");
        return sb.ToString();
    }

    private int OptimizerSlots() => Optimizer?.SlotCount ?? 0;

    private static string Count(long n) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} ({Bytes(n * 4)})";

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes.ToString("0.00", CultureInfo.InvariantCulture)} B",
        < 1024 * 1024 => $"{(bytes / 1024.0).ToString("0.00", CultureInfo.InvariantCulture)} KB",
        < 1024L * 1024 * 1024 => $"{(bytes / 1048576.0).ToString("0.00", CultureInfo.InvariantCulture)} MB",
        _ => $"{(bytes / 1073741824.0).ToString("0.00", CultureInfo.InvariantCulture)} GB",
    };

    private static string Rule(char left, char mid, char right, char fill, int[] widths)
        => left + string.Join(mid, widths.Select(w => new string(fill, w + 2))) + right;

    private static string Row(char bar, int[] widths, string a, string b, string c)
        => $"{bar} {Cell(a, widths[0])} {bar} {Cell(b, widths[1])} {bar} {Cell(c, widths[2], right: true)} {bar}";

    private static string Cell(string s, int width, bool right = false)
    {
        if (s.Length > width) s = s[..(width - 1)] + "…";
        return right ? s.PadLeft(width) : s.PadRight(width);
    }
}
