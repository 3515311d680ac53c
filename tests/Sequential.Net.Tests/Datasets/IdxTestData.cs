using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using SequentialNet.Datasets;

namespace SequentialNet.Tests.Datasets;

/// <summary>Writes small synthetic IDX files and MNIST-style dataset folders for the dataset tests.</summary>
public static class IdxTestData
{
    /// <summary>Image height of the generated datasets (deliberately not 28: the loader must not assume it).</summary>
    public const int Rows = 4;

    /// <summary>Image width of the generated datasets.</summary>
    public const int Columns = 5;

    /// <summary>Training samples in a generated dataset.</summary>
    public const int TrainCount = 6;

    /// <summary>Test samples in a generated dataset.</summary>
    public const int TestCount = 3;

    /// <summary>The bytes of an unsigned-byte IDX file with the given shape and data.</summary>
    public static byte[] Idx(int[] shape, byte[] data)
    {
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        data.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    /// <summary>Gzip-compresses <paramref name="bytes"/>.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The four gzip files of a small dataset keyed by <c>&lt;file&gt;.gz</c>. Every label is
    /// <paramref name="label"/>, so tests can tell datasets apart; pixel j of image i is (i * 31 + j * 7 + label) mod 256.
    /// </summary>
    public static Dictionary<string, byte[]> GzipFiles(byte label) => new()
    {
        [IdxDatasetSpec.TrainImages + ".gz"] = Gzip(Images(TrainCount, label)),
        [IdxDatasetSpec.TrainLabels + ".gz"] = Gzip(Labels(TrainCount, label)),
        [IdxDatasetSpec.TestImages + ".gz"] = Gzip(Images(TestCount, label)),
        [IdxDatasetSpec.TestLabels + ".gz"] = Gzip(Labels(TestCount, label)),
    };

    /// <summary>Writes a small dataset into <paramref name="folder"/>, gzip-compressed or raw.</summary>
    public static void WriteDataset(string folder, byte label, bool gzip = true)
    {
        Directory.CreateDirectory(folder);
        foreach ((string name, byte[] compressed) in GzipFiles(label))
        {
            if (gzip) File.WriteAllBytes(Path.Combine(folder, name), compressed);
            else File.WriteAllBytes(Path.Combine(folder, name[..^3]), Gunzip(compressed));
        }
    }

    /// <summary>The expected pixel value of a generated image.</summary>
    public static byte Pixel(int image, int index, byte label) => (byte)((image * 31 + index * 7 + label) % 256);

    /// <summary>A fresh, empty temporary folder.</summary>
    public static string TempFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "snet-datasets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static byte[] Images(int count, byte label)
    {
        var data = new byte[count * Rows * Columns];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < Rows * Columns; j++) data[i * Rows * Columns + j] = Pixel(i, j, label);
        return Idx([count, Rows, Columns], data);
    }

    private static byte[] Labels(int count, byte label) => Idx([count], Enumerable.Repeat(label, count).ToArray());

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
