namespace SequentialNet.Backends;

/// <summary>The bounds check of <see cref="IBackend.CopyColumns"/>, shared by every backend so that none writes outside a buffer.</summary>
public static class StridedCopy
{
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
