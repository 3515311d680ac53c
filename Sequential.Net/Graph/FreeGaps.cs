namespace SequentialNet.Graph;

/// <summary>
/// The free gaps of an arena, ordered by offset, for <see cref="MemoryPlanner"/>: a treap whose nodes
/// also hold the longest gap of their subtree, so the first gap (lowest offset) that fits a length is
/// found in O(log n) instead of by a scan of every live block. Priorities come from a fixed seed, so
/// plans are the same on every run.
/// </summary>
internal sealed class FreeGaps
{
    private sealed class Gap(int offset, int length, int priority)
    {
        public readonly int Offset = offset, Length = length, Priority = priority;
        public int Longest = length;
        public Gap? Left, Right;
    }

    private readonly Random _priorities = new(20260515);
    private Gap? _root;

    public void Add(int offset, int length) => _root = Insert(_root, new Gap(offset, length, _priorities.Next()));

    public void Remove(int offset) => _root = Delete(_root, offset);

    /// <summary>The length of the gap starting at <paramref name="offset"/>; 0 when none does.</summary>
    public int LengthAt(int offset)
    {
        for (var n = _root; n != null; n = offset < n.Offset ? n.Left : n.Right)
            if (n.Offset == offset) return n.Length;
        return 0;
    }

    /// <summary>The gap with the highest offset below <paramref name="offset"/>; null when none.</summary>
    public (int Offset, int Length)? Before(int offset)
    {
        Gap? best = null;
        for (var n = _root; n != null;)
        {
            if (n.Offset < offset) { best = n; n = n.Right; }
            else n = n.Left;
        }
        return best == null ? null : (best.Offset, best.Length);
    }

    /// <summary>The offset of the first gap (lowest offset) at least <paramref name="length"/> long; -1 when none is.</summary>
    public int FirstFit(int length)
    {
        var n = _root;
        while (n != null && n.Longest >= length)
        {
            if (n.Left != null && n.Left.Longest >= length) n = n.Left;
            else if (n.Length >= length) return n.Offset;
            else n = n.Right;
        }
        return -1;
    }

    private static Gap Insert(Gap? node, Gap gap)
    {
        if (node == null) return gap;
        if (gap.Offset < node.Offset)
        {
            node.Left = Insert(node.Left, gap);
            if (node.Left.Priority > node.Priority) node = RotateRight(node);
        }
        else
        {
            node.Right = Insert(node.Right, gap);
            if (node.Right.Priority > node.Priority) node = RotateLeft(node);
        }
        Update(node);
        return node;
    }

    private static Gap? Delete(Gap? node, int offset)
    {
        if (node == null) return null;
        if (offset == node.Offset) return Merge(node.Left, node.Right);
        if (offset < node.Offset) node.Left = Delete(node.Left, offset);
        else node.Right = Delete(node.Right, offset);
        Update(node);
        return node;
    }

    /// <summary>Joins two treaps where every offset of <paramref name="low"/> is below every offset of <paramref name="high"/>.</summary>
    private static Gap? Merge(Gap? low, Gap? high)
    {
        if (low == null) return high;
        if (high == null) return low;
        if (low.Priority > high.Priority)
        {
            low.Right = Merge(low.Right, high);
            Update(low);
            return low;
        }
        high.Left = Merge(low, high.Left);
        Update(high);
        return high;
    }

    private static Gap RotateRight(Gap node)
    {
        var left = node.Left!;
        node.Left = left.Right;
        left.Right = node;
        Update(node);
        Update(left);
        return left;
    }

    private static Gap RotateLeft(Gap node)
    {
        var right = node.Right!;
        node.Right = right.Left;
        right.Left = node;
        Update(node);
        Update(right);
        return right;
    }

    private static void Update(Gap node)
        => node.Longest = Math.Max(node.Length, Math.Max(node.Left?.Longest ?? 0, node.Right?.Longest ?? 0));
}
