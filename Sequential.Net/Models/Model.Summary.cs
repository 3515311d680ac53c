using System.Globalization;
using System.Text;

namespace SequentialNet;

// Summary: Keras 3's table (Layer (type) | Output Shape | Param #) and parameter totals.
public partial class Model
{
    /// <summary>Prints the layer table and parameter counts, as Keras's <c>model.summary()</c>.</summary>
    public void Summary(TextWriter? output = null) => (output ?? Console.Out).Write(SummaryText());

    /// <summary>The text <see cref="Summary"/> prints: Keras 3's table, with the "Connected to" column for a functional model.</summary>
    public string SummaryText()
    {
        using var _ = Gate.Enter(nameof(Summary));
        bool functional = this is not Sequential;
        int[] widths = functional ? [29, 22, 11, 24] : [33, 24, 15];
        var sb = new StringBuilder();
        sb.AppendLine($"Model: \"{Name}\"");
        sb.AppendLine(Rule('┏', '┳', '┓', '━', widths));
        sb.AppendLine(Row('┃', widths, functional ? ["Layer (type)", "Output Shape", "Param #", "Connected to"] : ["Layer (type)", "Output Shape", "Param #"]));
        sb.AppendLine(Rule('┡', '╇', '┩', '━', widths));
        var rows = functional ? FunctionalRows() : SequentialRows();
        for (int i = 0; i < rows.Count; i++)
        {
            foreach (var line in rows[i]) sb.AppendLine(Row('│', widths, line));
            if (i < rows.Count - 1) sb.AppendLine(Rule('├', '┼', '┤', '─', widths));
        }
        sb.AppendLine(Rule('└', '┴', '┘', '─', widths));
        long trainable = TrainableWeights.Sum(w => (long)w.Length);
        long total = Weights.Sum(w => (long)w.Length);
        sb.AppendLine($" Total params: {Count(total)}");
        sb.AppendLine($" Trainable params: {Count(trainable)}");
        sb.AppendLine($" Non-trainable params: {Count(total - trainable)}");
        if (Optimizer != null && Optimizer.Iterations > 0)
            sb.AppendLine($" Optimizer params: {Count(trainable * OptimizerSlots() + 2)}");
        return sb.ToString();
    }

    /// <summary>One row per layer: name (type), output shape, parameters.</summary>
    private List<string[][]> SequentialRows()
    {
        var rows = new List<string[][]>();
        int[]? shape = HasGraph ? InputShape : null;
        foreach (var layer in Layers)
        {
            string outShape = "?";
            if (shape != null)
            {
                shape = layer.ComputeOutputShape(shape);
                outShape = FormatShape(shape);
            }
            rows.Add([[$"{layer.Name} ({layer.GetType().Name})", outShape, ParamCount(layer)]]);
        }
        return rows;
    }

    /// <summary>One row per layer, with a line per inbound tensor in "Connected to" (Keras: layer[node][tensor]).</summary>
    private List<string[][]> FunctionalRows()
    {
        var graph = Graph;
        var nodesOf = graph.Nodes.GroupBy(n => n.Layer).ToDictionary(g => g.Key, g => g.ToList());
        string Source(KerasTensor t) => t.Producer is CallNode p ? $"{p.Layer.Name}[{nodesOf[p.Layer].IndexOf(p)}][{t.OutputIndex}]" : $"{t.Name}[0][0]";
        var rows = new List<string[][]>();
        foreach (var layer in graph.Layers)
        {
            var calls = nodesOf.GetValueOrDefault(layer) ?? [];
            var shapes = layer is Layers.InputLayer input ? [FormatShape(input.Shape)]
                : calls.SelectMany(c => c.Outputs.Select(o => FormatShape(o.ShapeWithoutBatch))).Distinct().ToList();
            var sources = calls.SelectMany(c => c.Inputs.Select(Source)).ToList();
            if (sources.Count == 0) sources.Add("-");
            int lines = Math.Max(shapes.Count, sources.Count);
            var cells = new string[lines][];
            for (int i = 0; i < lines; i++)
                cells[i] = [i == 0 ? $"{layer.Name} ({layer.GetType().Name})" : "", i < shapes.Count ? shapes[i] : "", i == 0 ? ParamCount(layer) : "", i < sources.Count ? sources[i] : ""];
            rows.Add(cells);
        }
        return rows;
    }

    private static string FormatShape(int[] shape) => "(None, " + string.Join(", ", shape) + ")";

    private static string ParamCount(Layers.Layer layer)
        => layer.Built || layer.CountParams() > 0 ? layer.CountParams().ToString("N0", CultureInfo.InvariantCulture) : "0 (unbuilt)";

    private int OptimizerSlots() => Optimizer?.StateSlotCount ?? 0;

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

    /// <summary>Cells padded to their widths; the third column (Param #) is right-aligned.</summary>
    private static string Row(char bar, int[] widths, string[] cells)
        => $"{bar} " + string.Join($" {bar} ", cells.Select((c, i) => Cell(c, widths[i], right: i == 2))) + $" {bar}";

    private static string Cell(string s, int width, bool right = false)
    {
        if (s.Length > width) s = s[..(width - 1)] + "…";
        return right ? s.PadLeft(width) : s.PadRight(width);
    }
}
