using System.Buffers.Binary;
using System.IO.Compression;

namespace SequentialNet.Datasets;

/// <summary>
/// Reads IDX files (the format of MNIST and Fashion-MNIST), raw or gzip-compressed (detected from the
/// content, not the name). Only the unsigned-byte element type (0x08) is supported, which is what those
/// datasets use. Every inconsistency (bad magic, unsupported type, a shape that does not match the data,
/// truncated or trailing data, corrupt gzip) is an <see cref="InvalidDataException"/> that names the file.
/// </summary>
/// <remarks>
/// Header: two zero bytes, the element type, the number of dimensions, then each dimension as a big-endian
/// int32. The data array is allocated only after its size was checked against the file: exactly the
/// remaining length for raw files, at most <see cref="MaxDeflateRatio"/> times the compressed size for gzip.
/// </remarks>
internal static class IdxReader
{
    /// <summary>The IDX element-type code for unsigned bytes.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>The largest number of dimensions accepted.</summary>
    public const int MaxRank = 4;

    /// <summary>Deflate cannot expand data by more than about 1032:1, which bounds a gzip file's payload.</summary>
    public const long MaxDeflateRatio = 1032;

    /// <summary>Reads the IDX file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid unsigned-byte IDX file.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        bool gzip = StartsWithGzipMagic(file);
        if (!gzip) return ReadFrom(file, file.Length, exactLength: true, path);
        using var inflated = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        return ReadFrom(inflated, SaturatingMultiply(file.Length, MaxDeflateRatio), exactLength: false, path);
    }

    private static bool StartsWithGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static IdxArray ReadFrom(Stream stream, long maxLength, bool exactLength, string path)
    {
        int[] shape = ReadHeader(stream, path);
        long headerLength = 4 + 4L * shape.Length;
        long count = ElementCount(shape, path);
        CheckAgainstFileSize(count, maxLength - headerLength, exactLength, shape, path);
        var data = new byte[count];
        int got = Fill(stream, data, path);
        if (got < data.Length)
            throw Corrupt(path, $"truncated: the header announces {count} data bytes for shape {Format(shape)}, but only {got} follow");
        RequireEnd(stream, path);
        return new IdxArray(shape, data);
    }

    private static int[] ReadHeader(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        if (Fill(stream, magic, path) < 4) throw Corrupt(path, "too short to hold an IDX header");
        if (magic[0] != 0 || magic[1] != 0)
            throw Corrupt(path, $"not an IDX file: magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8} does not start with two zero bytes");
        if (magic[2] != UnsignedByte)
            throw Corrupt(path, $"element type 0x{magic[2]:X2} is not supported; only unsigned bytes (0x08) are");
        int rank = magic[3];
        if (rank is < 1 or > MaxRank) throw Corrupt(path, $"{rank} dimensions in the header; expected 1 to {MaxRank}");
        return ReadDimensions(stream, rank, path);
    }

    private static int[] ReadDimensions(Stream stream, int rank, string path)
    {
        Span<byte> bytes = stackalloc byte[4 * MaxRank];
        bytes = bytes[..(4 * rank)];
        if (Fill(stream, bytes, path) < bytes.Length) throw Corrupt(path, "truncated inside the header's dimensions");
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.Slice(4 * i, 4));
            if (shape[i] < 0) throw Corrupt(path, $"dimension {i} is {(uint)shape[i]}, which is too large");
        }
        return shape;
    }

    private static long ElementCount(int[] shape, string path)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > Array.MaxLength) throw Corrupt(path, $"shape {Format(shape)} has more elements than an array can hold");
        }
        return count;
    }

    private static void CheckAgainstFileSize(long count, long available, bool exactLength, int[] shape, string path)
    {
        if (count > available)
            throw Corrupt(path, $"truncated: the header announces {count} data bytes for shape {Format(shape)}, but the file holds at most {Math.Max(0, available)}");
        if (exactLength && count < available)
            throw Corrupt(path, $"{available - count} unexpected bytes after the {count} data bytes of shape {Format(shape)}");
    }

    private static void RequireEnd(Stream stream, string path)
    {
        Span<byte> probe = stackalloc byte[1];
        if (Fill(stream, probe, path) != 0) throw Corrupt(path, "unexpected bytes after the data announced by the header");
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; decompression errors name the file.</summary>
    private static int Fill(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: corrupt gzip data ({ex.Message}).", ex);
        }
    }

    private static long SaturatingMultiply(long a, long b) => a > long.MaxValue / b ? long.MaxValue : a * b;

    private static string Format(int[] shape) => "(" + string.Join(", ", shape) + ")";

    private static InvalidDataException Corrupt(string path, string reason) =>
        new($"{path}: invalid IDX file: {reason}.");
}
