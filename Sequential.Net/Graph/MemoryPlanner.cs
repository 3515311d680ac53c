namespace SequentialNet.Graph;

/// <summary>
/// Assigns every intermediate of a plan an offset in one arena by liveness: a value occupies its range
/// from the op that writes it to the last op that reads it, and ranges of values that are never alive
/// together are reused (first fit, in execution order). Reshapes share their source's range.
/// </summary>
internal static class MemoryPlanner
{
    private const int Align = 16; // floats: 64-byte alignment for Vector512 loads and coalesced GPU access

    public readonly record struct Placement(int Offset, int Length);

    /// <summary>
    /// Offsets for every node in <paramref name="order"/> that is not in <paramref name="fixedNodes"/>;
    /// <paramref name="keepAlive"/> nodes (plan outputs) live to the end. Returns the arena length needed.
    /// </summary>
    public static int Plan(IReadOnlyList<Node> order, ISet<Node> fixedNodes, ISet<Node> keepAlive, int batch,
        Dictionary<Node, Placement> placements)
    {
        var position = new Dictionary<Node, int>();
        for (int i = 0; i < order.Count; i++) position[order[i]] = i;
        var lastUse = new Dictionary<Node, int>();
        for (int i = 0; i < order.Count; i++)
        {
            foreach (Node input in order[i].Inputs) lastUse[Root(input)] = i;
            lastUse.TryAdd(Root(order[i]), i);
        }
        foreach (Node n in keepAlive) lastUse[Root(n)] = order.Count;

        var live = new List<(int Offset, int Length, int End)>();
        int arena = 0;
        for (int i = 0; i < order.Count; i++)
        {
            Node node = order[i];
            if (node.Op.IsAlias || fixedNodes.Contains(node)) continue;
            live.RemoveAll(b => b.End < i);
            int length = RoundUp(node.Size(batch));
            int offset = FirstFit(live, length);
            live.Add((offset, length, lastUse[node]));
            placements[node] = new Placement(offset, length);
            arena = Math.Max(arena, offset + length);
        }
        return arena;
    }

    /// <summary>The node whose memory an alias chain (reshape of reshape of …) ends in.</summary>
    public static Node Root(Node node)
    {
        while (node.Op.IsAlias) node = node.Inputs[0];
        return node;
    }

    private static int FirstFit(List<(int Offset, int Length, int End)> live, int length)
    {
        live.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        int candidate = 0;
        foreach (var block in live)
        {
            if (candidate + length <= block.Offset) return candidate;
            candidate = Math.Max(candidate, block.Offset + block.Length);
        }
        return candidate;
    }

    private static int RoundUp(int n) => Math.Max(Align, (n + Align - 1) / Align * Align);
}
