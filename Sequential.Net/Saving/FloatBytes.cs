using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace SequentialNet.Saving;

/// <summary>float32 values to and from little-endian bytes, in chunks, with their CRC-32 (IEEE, as zip uses).</summary>
internal static class FloatBytes
{
    private const int ChunkFloats = 16384;

    /// <summary>The CRC-32 of the little-endian bytes of <paramref name="values"/>.</summary>
    public static uint Crc(ReadOnlySpan<float> values)
    {
        var crc = new Crc32();
        if (BitConverter.IsLittleEndian) crc.Append(MemoryMarshal.AsBytes(values));
        else Chunks(values, bytes => crc.Append(bytes));
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>Writes <paramref name="values"/> as little-endian float32.</summary>
    public static void Write(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian) stream.Write(MemoryMarshal.AsBytes(values));
        else Chunks(values, stream.Write);
    }

    /// <summary>
    /// Reads <paramref name="destination"/>.Length little-endian floats from <paramref name="stream"/>,
    /// adding the bytes to <paramref name="entryCrc"/>; returns the CRC-32 of these bytes alone.
    /// </summary>
    public static uint Read(Stream stream, Span<float> destination, Crc32 entryCrc, byte[] buffer, string where)
    {
        var crc = new Crc32();
        for (int done = 0; done < destination.Length;)
        {
            int n = Math.Min(destination.Length - done, buffer.Length / 4);
            var bytes = buffer.AsSpan(0, n * 4);
            int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got < bytes.Length) throw new FormatProblem($"{where}: expected more data. Received: the entry ends early (truncated or corrupted).");
            crc.Append(bytes);
            entryCrc.Append(bytes);
            var target = destination.Slice(done, n);
            if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(bytes).CopyTo(target);
            else for (int i = 0; i < n; i++) target[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
            done += n;
        }
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>A buffer for <see cref="Read"/>.</summary>
    public static byte[] NewBuffer() => new byte[ChunkFloats * 4];

    private delegate void BytesAction(ReadOnlySpan<byte> bytes);

    private static void Chunks(ReadOnlySpan<float> values, BytesAction action)
    {
        Span<byte> chunk = new byte[ChunkFloats * 4];
        for (int start = 0; start < values.Length; start += ChunkFloats)
        {
            var part = values.Slice(start, Math.Min(ChunkFloats, values.Length - start));
            for (int i = 0; i < part.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(chunk[(i * 4)..], part[i]);
            action(chunk[..(part.Length * 4)]);
        }
    }
}
