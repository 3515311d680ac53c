using SkiaSharp;

namespace SequentialNet.Plotting.Diagram;

/// <summary>
/// Draws an <see cref="IModelGraph"/> with SkiaSharp: a rounded box per node ("name (Type)" in bold, then
/// "Input shape: …" and "Output shape: …"), and an arrow per edge from the bottom of one box to the top of
/// the next, on a white background. An edge that skips rows (a skip connection, an input used further down)
/// runs in a lane of its own right of the boxes it passes, so it never hides behind one.
/// </summary>
internal static class DiagramRenderer
{
    private const float FontSize = 15, LineGap = 6, PadX = 16, PadY = 10, GapX = 40, GapY = 36, Margin = 24, ArrowHead = 9;

    public static (int Width, int Height) Save(IModelGraph graph, string path)
    {
        using var title = new SKFont(PlotFonts.Typeface(bold: true), FontSize);
        using var body = new SKFont(PlotFonts.Typeface(), FontSize - 1);
        var layout = new DiagramLayout(graph, node => Measure(node, title, body), GapX, GapY, Margin);
        var lanes = Lanes(graph, layout);
        int width = (int)Math.Ceiling(Math.Max(layout.Width, lanes.Values.DefaultIfEmpty(0).Max() + Margin));
        using var surface = SKSurface.Create(new SKImageInfo(width, layout.Height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var line = new SKPaint { Color = new SKColor(60, 60, 60), IsAntialias = true, StrokeWidth = 1.6f, Style = SKPaintStyle.Stroke };
        using var fill = new SKPaint { Color = new SKColor(222, 235, 247), IsAntialias = true, Style = SKPaintStyle.Fill };
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        foreach (var edge in graph.Edges)
            if (lanes.TryGetValue(edge, out float lane)) DrawRoutedArrow(canvas, layout, edge, lane, line);
            else DrawArrow(canvas, layout, edge, line);
        for (int i = 0; i < graph.Nodes.Count; i++)
            DrawBox(canvas, graph.Nodes[i], layout.Centres[i], layout.Sizes[i], title, body, fill, line, ink);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using (var file = File.Create(path)) png.SaveTo(file);
        return (width, layout.Height);
    }

    /// <summary>
    /// The x of the lane of each edge that skips rows: right of every box on the rows it passes, one lane
    /// per such edge (12 px apart) so that parallel ones stay apart.
    /// </summary>
    private static Dictionary<DiagramEdge, float> Lanes(IModelGraph graph, DiagramLayout layout)
    {
        var lanes = new Dictionary<DiagramEdge, float>();
        int count = 0;
        foreach (var edge in graph.Edges)
        {
            int from = layout.Rows[edge.From], to = layout.Rows[edge.To];
            if (to - from <= 1) continue;
            float right = 0;
            for (int i = 0; i < graph.Nodes.Count; i++)
                if (layout.Rows[i] > from && layout.Rows[i] < to) right = Math.Max(right, layout.Centres[i].X + layout.Sizes[i].Width / 2);
            lanes[edge] = right + GapX / 2 + 12 * count++;
        }
        return lanes;
    }

    /// <summary>Down from the source, across to its lane, down the lane past the rows between, across and down into the target.</summary>
    private static void DrawRoutedArrow(SKCanvas canvas, DiagramLayout layout, DiagramEdge edge, float lane, SKPaint line)
    {
        var (fromX, fromY) = layout.Centres[edge.From];
        var (toX, toY) = layout.Centres[edge.To];
        float startY = fromY + layout.Sizes[edge.From].Height / 2, endY = toY - layout.Sizes[edge.To].Height / 2;
        float below = startY + GapY / 3, above = endY - GapY / 3;
        // Leave the source and enter the target a little right of the straight edges' centre.
        float leave = fromX + layout.Sizes[edge.From].Width / 4, enter = toX + layout.Sizes[edge.To].Width / 4;
        using var path = new SKPath();
        path.MoveTo(leave, startY);
        path.LineTo(leave, below);
        path.LineTo(lane, below);
        path.LineTo(lane, above);
        path.LineTo(enter, above);
        path.LineTo(enter, endY);
        canvas.DrawPath(path, line);
        foreach (float side in new[] { -0.44f, 0.44f })
            canvas.DrawLine(enter, endY, enter - ArrowHead * MathF.Cos(MathF.PI / 2 + side), endY - ArrowHead * MathF.Sin(MathF.PI / 2 + side), line);
    }

    private static string[] Lines(DiagramNode node) => node.InputShape == null
        ? [$"{node.Name} ({node.Type})", $"Output shape: {node.OutputShape}"]
        : [$"{node.Name} ({node.Type})", $"Input shape: {node.InputShape}", $"Output shape: {node.OutputShape}"];

    private static (float, float) Measure(DiagramNode node, SKFont title, SKFont body)
    {
        var lines = Lines(node);
        float width = title.MeasureText(lines[0]);
        for (int i = 1; i < lines.Length; i++) width = Math.Max(width, body.MeasureText(lines[i]));
        return (width + 2 * PadX, lines.Length * (FontSize + LineGap) - LineGap + 2 * PadY);
    }

    private static void DrawBox(SKCanvas canvas, DiagramNode node, (float X, float Y) centre, (float Width, float Height) size,
        SKFont title, SKFont body, SKPaint fill, SKPaint line, SKPaint ink)
    {
        var rect = new SKRect(centre.X - size.Width / 2, centre.Y - size.Height / 2, centre.X + size.Width / 2, centre.Y + size.Height / 2);
        canvas.DrawRoundRect(rect, 6, 6, fill);
        canvas.DrawRoundRect(rect, 6, 6, line);
        var lines = Lines(node);
        float baseline = rect.Top + PadY + FontSize - 3;
        for (int i = 0; i < lines.Length; i++)
        {
            canvas.DrawText(lines[i], centre.X, baseline, SKTextAlign.Center, i == 0 ? title : body, ink);
            baseline += FontSize + LineGap;
        }
    }

    private static void DrawArrow(SKCanvas canvas, DiagramLayout layout, DiagramEdge edge, SKPaint line)
    {
        var (fromX, fromY) = layout.Centres[edge.From];
        var (toX, toY) = layout.Centres[edge.To];
        float startY = fromY + layout.Sizes[edge.From].Height / 2, endY = toY - layout.Sizes[edge.To].Height / 2;
        canvas.DrawLine(fromX, startY, toX, endY, line);
        // Arrow head: two strokes at ±25° around the line's direction, ending at the target box.
        float angle = MathF.Atan2(endY - startY, toX - fromX);
        foreach (float side in new[] { -0.44f, 0.44f })
            canvas.DrawLine(toX, endY, toX - ArrowHead * MathF.Cos(angle + side), endY - ArrowHead * MathF.Sin(angle + side), line);
    }
}
