using System.Buffers.Binary;
using SkiaSharp;

namespace SequentialNet.Plotting.Tests;

/// <summary>What the tests check of a written PNG: the signature and IHDR size, read from the bytes, and the pixels.</summary>
internal sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private PngImage(int width, int height, SKBitmap bitmap)
    {
        Width = width;
        Height = height;
        Bitmap = bitmap;
    }

    /// <summary>Width from the IHDR chunk.</summary>
    public int Width { get; }

    /// <summary>Height from the IHDR chunk.</summary>
    public int Height { get; }

    /// <summary>The decoded pixels.</summary>
    public SKBitmap Bitmap { get; }

    /// <summary>Reads <paramref name="path"/>, failing the test when it is not a PNG file that decodes.</summary>
    public static PngImage Read(string path)
    {
        Assert.That(File.Exists(path), Is.True, path + " was not written");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Length, Is.GreaterThan(33), "too short for a PNG header");
        Assert.That(bytes.AsSpan(0, 8).SequenceEqual(Signature), Is.True, "PNG signature");
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"), "first chunk");
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        int height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        var bitmap = SKBitmap.Decode(bytes);
        Assert.That(bitmap, Is.Not.Null, "the PNG does not decode");
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((width, height)), "decoded size vs IHDR");
        return new PngImage(width, height, bitmap);
    }

    /// <summary>Fraction of pixels that differ from the top-left (background) pixel.</summary>
    public double InkFraction()
    {
        SKColor background = Bitmap.GetPixel(0, 0);
        long ink = 0;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
                if (Bitmap.GetPixel(x, y) != background) ink++;
        return ink / (double)(Width * Height);
    }

    /// <summary>Number of pixels within a distance of 40 (sum over RGB) of <paramref name="colour"/>.</summary>
    public int CountNear(SKColor colour)
    {
        int count = 0;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                var p = Bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - colour.Red) + Math.Abs(p.Green - colour.Green) + Math.Abs(p.Blue - colour.Blue) <= 40) count++;
            }
        return count;
    }
}
