using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace FashionMnistExample;

/// <summary>A minimal PNG writer: 8-bit grayscale, one IDAT chunk, no filtering.</summary>
internal static class Png
{
    /// <summary>Writes <paramref name="pixels"/> (row-major, values in [0, 1], clamped) as a grayscale PNG.</summary>
    public static void WriteGray(string path, float[] pixels, int width, int height)
    {
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;                                  // bit depth; colour type 0 (gray), deflate, no filter, no interlace
        Chunk(file, "IHDR", header);
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[width + 1];              // filter byte 0, then the row
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                    row[x + 1] = (byte)Math.Round(Math.Clamp(pixels[y * width + x], 0f, 1f) * 255f);
                z.Write(row);
            }
        }
        Chunk(file, "IDAT", raw.ToArray());
        Chunk(file, "IEND", []);
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        var typed = new byte[4 + data.Length];
        for (int i = 0; i < 4; i++) typed[i] = (byte)type[i];
        data.CopyTo(typed, 4);
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.HashToUInt32(typed));
        s.Write(word);
    }
}
