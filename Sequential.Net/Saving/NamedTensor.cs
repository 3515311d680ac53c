namespace SequentialNet.Saving;

/// <summary>A tensor to write: its name in the manifest, its shape and its values (row-major).</summary>
internal sealed record NamedTensor(string Name, int[] Shape, float[] Data);

/// <summary>A tensor described by a manifest: name, shape, byte offset in its data entry and CRC-32 of its bytes.</summary>
internal sealed record TensorEntry(string Name, int[] Shape, long Offset, uint Crc32)
{
    /// <summary>Number of elements (bounded by <see cref="Array.MaxLength"/> when read).</summary>
    public int Count { get; } = (int)Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>Size in bytes (float32).</summary>
    public long Bytes => Count * 4L;
}
