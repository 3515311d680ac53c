namespace SequentialNet.Graph;

/// <summary>
/// Assigns every intermediate of a plan an offset in one arena by liveness: a value occupies its range
/// from the op that writes it to the last op that reads it, and ranges of values that are never alive
/// together are reused (first fit, in execution order). Reshapes share their source's range.
/// O(n log n) in the number of ops: expiring ranges come off a priority queue by last use, and the
/// first gap that fits is found in a tree of free gaps (<see cref="FreeGaps"/>).
/// </summary>
internal static class MemoryPlanner
{
    private const int Align = 16; // floats: 64-byte alignment for Vector512 loads and coalesced GPU access

    public readonly record struct Placement(int Offset, int Length);

    /// <summary>
    /// Offsets for every node in <paramref name="order"/> that is not in <paramref name="fixedNodes"/>;
    /// <paramref name="keepAlive"/> nodes (plan outputs) live to the end. Returns the arena length needed.
    /// </summary>
    /// <exception cref="ArgumentException">The arena would exceed <see cref="int.MaxValue"/> floats (a batch too large for the model).</exception>
    public static int Plan(IReadOnlyList<Node> order, ISet<Node> fixedNodes, ISet<Node> keepAlive, int batch,
        Dictionary<Node, Placement> placements)
    {
        var lastUse = new Dictionary<Node, int>();
        for (int i = 0; i < order.Count; i++)
        {
            foreach (Node input in order[i].Inputs) lastUse[Root(input)] = i;
            lastUse.TryAdd(Root(order[i]), i);
        }
        foreach (Node n in keepAlive) lastUse[Root(n)] = order.Count;

        var arena = new Arena();
        var expiring = new PriorityQueue<Placement, int>();   // live ranges by last use
        for (int i = 0; i < order.Count; i++)
        {
            Node node = order[i];
            if (node.Op.IsAlias || fixedNodes.Contains(node)) continue;
            while (expiring.TryPeek(out var range, out int end) && end < i)
            {
                expiring.Dequeue();
                arena.Free(range);
            }
            var placement = arena.Allocate(RoundUp(node.Size(batch)), node, batch);
            expiring.Enqueue(placement, lastUse[node]);
            placements[node] = placement;
        }
        return arena.Length;
    }

    /// <summary>The node whose memory an alias chain (reshape of reshape of …) ends in.</summary>
    public static Node Root(Node node)
    {
        while (node.Op.IsAlias) node = node.Inputs[0];
        return node;
    }

    /// <summary>
    /// Free space of the arena: maximal gaps below <see cref="_top"/> (the end of the highest live range)
    /// and everything above it, so the first gap that fits is where a scan of the live ranges in offset
    /// order would put the value.
    /// </summary>
    private sealed class Arena
    {
        private readonly FreeGaps _gaps = new();
        private int _top;

        /// <summary>The highest end any range has had: the arena length the plan needs.</summary>
        public int Length { get; private set; }

        public Placement Allocate(int length, Node node, int batch)
        {
            int offset = _gaps.FirstFit(length);
            if (offset >= 0)
            {
                int gap = _gaps.LengthAt(offset);
                _gaps.Remove(offset);
                if (gap > length) _gaps.Add(offset + length, gap - length);
                return new Placement(offset, length);
            }
            offset = _top;
            if ((long)_top + length > int.MaxValue)
                throw new ArgumentException($"Graph node \"{node.Name}\": the plan for batch {batch} needs more than {int.MaxValue} floats of intermediate memory. Use a smaller batch size.");
            _top += length;
            Length = Math.Max(Length, _top);
            return new Placement(offset, length);
        }

        public void Free(Placement range)
        {
            int start = range.Offset, end = range.Offset + range.Length;
            if (_gaps.Before(start) is var (before, beforeLength) && before + beforeLength == start)
            {
                _gaps.Remove(before);
                start = before;
            }
            if (_gaps.LengthAt(end) is int afterLength and > 0)
            {
                _gaps.Remove(end);
                end += afterLength;
            }
            if (end == _top) _top = start;
            else _gaps.Add(start, end - start);
        }
    }

    private static int RoundUp(int n) => Math.Max(Align, (int)Math.Min(int.MaxValue - Align + 1, ((long)n + Align - 1) / Align * Align));
}
