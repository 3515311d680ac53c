namespace SequentialNet.Backends;

/// <summary>The checks of <see cref="IBackend.CopyColumns"/> and <see cref="IBackend.Permute"/>, shared by every backend so that none writes outside a buffer.</summary>
public static class StridedCopy
{
    /// <summary>Most axes <see cref="IBackend.Permute"/> takes (the batch axis and four more).</summary>
    public const int MaxPermuteRank = 5;

    /// <summary>
    /// Checks a permutation of <paramref name="dims"/> and returns the element count; fills
    /// <paramref name="srcStrides"/> with the source stride of each destination axis and
    /// <paramref name="dstDims"/> with the destination dimensions (both padded to <see cref="MaxPermuteRank"/> with 0 and 1).
    /// </summary>
    /// <exception cref="ArgumentException">Not a permutation, too many axes, or a buffer too short.</exception>
    public static int CheckPermute(long srcLength, long dstLength, ReadOnlySpan<int> dims, ReadOnlySpan<int> perm, Span<int> srcStrides, Span<int> dstDims)
    {
        int rank = dims.Length;
        if (rank == 0 || rank > MaxPermuteRank || perm.Length != rank)
            throw new ArgumentException($"Permute: expected 1 to {MaxPermuteRank} axes and a permutation of as many. Received: dims ({string.Join(", ", dims.ToArray())}), perm ({string.Join(", ", perm.ToArray())}).");
        Span<int> strides = stackalloc int[MaxPermuteRank];
        long n = 1;
        for (int k = rank - 1; k >= 0; k--) { strides[k] = (int)Math.Min(n, int.MaxValue); n *= dims[k]; }
        if (n > int.MaxValue) throw new ArgumentException($"Permute: {n} elements. Expected at most {int.MaxValue}.");
        Span<bool> seen = stackalloc bool[MaxPermuteRank];
        srcStrides.Clear(); dstDims.Fill(1);
        for (int k = 0; k < rank; k++)
        {
            if ((uint)perm[k] >= (uint)rank || seen[perm[k]])
                throw new ArgumentException($"Permute: expected a permutation of 0..{rank - 1}. Received: ({string.Join(", ", perm.ToArray())}).");
            seen[perm[k]] = true;
            srcStrides[k] = strides[perm[k]];
            dstDims[k] = dims[perm[k]];
        }
        if (srcLength < n) throw new ArgumentException($"Permute: src holds {srcLength} floats. Expected at least {n}.", "src");
        if (dstLength < n) throw new ArgumentException($"Permute: dst holds {dstLength} floats. Expected at least {n}.", "dst");
        return (int)n;
    }

    /// <summary>Throws unless every element the copy reads and writes lies inside its buffer.</summary>
    /// <exception cref="ArgumentException">A negative size or offset, a block wider than its stride, or a buffer too short.</exception>
    public static void Check(string who, long srcLength, long dstLength, int rows, int cols, int srcStride, int srcOffset, int dstStride, int dstOffset)
    {
        if (rows < 0 || cols < 0 || srcOffset < 0 || dstOffset < 0 || srcOffset + (long)cols > srcStride || dstOffset + (long)cols > dstStride)
            throw new ArgumentException($"{who}: expected rows, cols, offsets >= 0 and offset + cols <= stride. Received: rows={rows}, cols={cols}, src stride {srcStride} offset {srcOffset}, dst stride {dstStride} offset {dstOffset}.");
        if (rows == 0 || cols == 0) return;
        long srcEnd = (long)(rows - 1) * srcStride + srcOffset + cols, dstEnd = (long)(rows - 1) * dstStride + dstOffset + cols;
        if (srcEnd > srcLength) throw new ArgumentException($"{who}: src holds {srcLength} floats. Expected at least {srcEnd}.", "src");
        if (dstEnd > dstLength) throw new ArgumentException($"{who}: dst holds {dstLength} floats. Expected at least {dstEnd}.", "dst");
    }
}
