namespace SequentialNet.Plotting.Diagram;

/// <summary>
/// A layered layout: each node's row is the longest path from a source to it, so every arrow points down;
/// nodes of one row sit side by side in the order they are listed. Positions are box centres, in pixels.
/// </summary>
internal sealed class DiagramLayout
{
    public DiagramLayout(IModelGraph graph, Func<DiagramNode, (float Width, float Height)> boxSize, float gapX, float gapY, float margin)
    {
        int n = graph.Nodes.Count;
        Rows = new int[n];
        foreach (var edge in graph.Edges.OrderBy(e => e.To))
        {
            if (edge.From >= edge.To)
                throw new ArgumentException($"Diagram expected nodes listed sources first. Received: an edge from node {edge.From} to node {edge.To}.");
            Rows[edge.To] = Math.Max(Rows[edge.To], Rows[edge.From] + 1);
        }
        Sizes = graph.Nodes.Select(boxSize).ToArray();
        int rowCount = n == 0 ? 0 : Rows.Max() + 1;
        var rowWidths = new float[rowCount];
        var rowHeights = new float[rowCount];
        for (int i = 0; i < n; i++)
        {
            rowWidths[Rows[i]] += Sizes[i].Width + (rowWidths[Rows[i]] > 0 ? gapX : 0);
            rowHeights[Rows[i]] = Math.Max(rowHeights[Rows[i]], Sizes[i].Height);
        }
        Width = (int)Math.Ceiling((rowWidths.DefaultIfEmpty(0).Max()) + 2 * margin);
        Height = (int)Math.Ceiling(rowHeights.Sum() + gapY * Math.Max(0, rowCount - 1) + 2 * margin);
        Centres = new (float X, float Y)[n];
        var nextX = rowWidths.Select(w => (Width - w) / 2f).ToArray();
        var rowTop = new float[rowCount];
        for (int r = 0; r < rowCount; r++) rowTop[r] = r == 0 ? margin : rowTop[r - 1] + rowHeights[r - 1] + gapY;
        for (int i = 0; i < n; i++)
        {
            int r = Rows[i];
            Centres[i] = (nextX[r] + Sizes[i].Width / 2, rowTop[r] + rowHeights[r] / 2);
            nextX[r] += Sizes[i].Width + gapX;
        }
    }

    /// <summary>Row of each node (0 = top).</summary>
    public int[] Rows { get; }

    /// <summary>Box size of each node.</summary>
    public (float Width, float Height)[] Sizes { get; }

    /// <summary>Box centre of each node.</summary>
    public (float X, float Y)[] Centres { get; }

    /// <summary>Image width, in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height, in pixels.</summary>
    public int Height { get; }
}
