using NUnit.Framework;
using SequentialNet.Datasets;

namespace SequentialNet.Tests.Datasets;

[TestFixture]
public sealed class IdxReaderTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = IdxTestData.TempFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [TestCase(false)]
    [TestCase(true)]
    public void RoundTripsImages(bool gzip)
    {
        byte[] data = [.. Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)(i * 37 % 256))];
        string path = Write("images", IdxTestData.Idx([3, 4, 5], data), gzip);

        IdxArray read = IdxReader.Read(path);

        Assert.That(read.Shape, Is.EqualTo(new[] { 3, 4, 5 }));
        Assert.That(read.Data, Is.EqualTo(data));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void RoundTripsLabelsAsFloatTensor(bool gzip)
    {
        byte[] labels = [9, 0, 255, 3, 7];
        string path = Write("labels", IdxTestData.Idx([5], labels), gzip);

        Tensor tensor = IdxReader.Read(path).ToTensor();

        Assert.That(tensor.Shape, Is.EqualTo(new[] { 5 }));
        Assert.That(tensor.ToArray(), Is.EqualTo(new float[] { 9, 0, 255, 3, 7 }));
    }

    [Test]
    public void DetectsGzipByContentNotByName()
    {
        byte[] idx = IdxTestData.Idx([2], [4, 2]);
        string path = Path.Combine(_folder, "labels-no-extension");
        File.WriteAllBytes(path, IdxTestData.Gzip(idx));

        Assert.That(IdxReader.Read(path).Data, Is.EqualTo(new byte[] { 4, 2 }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TruncatedDataNamesTheFile(bool gzip)
    {
        byte[] idx = IdxTestData.Idx([10, 4, 4], new byte[160]);
        string path = Write("truncated", idx[..^7], gzip);

        AssertInvalid(path, "truncated");
    }

    [Test]
    public void TruncatedGzipStreamNamesTheFile()
    {
        byte[] data = [.. Enumerable.Range(0, 4000).Select(i => (byte)(i * 13 % 251))];
        byte[] compressed = IdxTestData.Gzip(IdxTestData.Idx([1000, 4], data));
        string path = Path.Combine(_folder, "cut.gz");
        File.WriteAllBytes(path, compressed[..(compressed.Length / 2)]);

        AssertInvalid(path, "");
    }

    [Test]
    public void CorruptGzipPayloadNamesTheFile()
    {
        byte[] data = [.. Enumerable.Range(0, 4000).Select(i => (byte)(i * 13 % 251))];
        byte[] compressed = IdxTestData.Gzip(IdxTestData.Idx([1000, 4], data));
        for (int i = 20; i < compressed.Length - 8; i += 5) compressed[i] ^= 0x5a;
        string path = Path.Combine(_folder, "scrambled.gz");
        File.WriteAllBytes(path, compressed);

        AssertInvalid(path, "");
    }

    [Test]
    public void GzipTrailerChecksumIsVerified()
    {
        byte[] compressed = IdxTestData.Gzip(IdxTestData.Idx([4], [1, 2, 3, 4]));
        compressed[^8] ^= 0xff; // the CRC-32 of the uncompressed data
        string path = Path.Combine(_folder, "bad-crc.gz");
        File.WriteAllBytes(path, compressed);

        AssertInvalid(path, "corrupt gzip");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TrailingBytesAreRejected(bool gzip)
    {
        byte[] idx = [.. IdxTestData.Idx([2, 2], [1, 2, 3, 4]), 0, 0];
        string path = Write("trailing", idx, gzip);

        AssertInvalid(path, "unexpected bytes");
    }

    [TestCase(new byte[] { 1, 0, 8, 1 }, "magic number")]
    [TestCase(new byte[] { 0, 0, 0x0D, 1 }, "element type 0x0D")]
    [TestCase(new byte[] { 0, 0, 8, 0 }, "0 dimensions")]
    [TestCase(new byte[] { 0, 0, 8, 5 }, "5 dimensions")]
    public void BadHeaderIsRejected(byte[] magic, string expected)
    {
        byte[] idx = [.. magic, 0, 0, 0, 1, 7];
        AssertInvalid(Write("bad-header", idx, gzip: false), expected);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void LargeDimensionsInATinyFileFailBeforeAllocating(bool gzip)
    {
        // 784 MB announced, a few bytes present: rejected from the file size, not by running out of data.
        byte[] idx = IdxTestData.Idx([1_000_000, 28, 28], [1, 2, 3]);
        AssertInvalid(Write("large", idx, gzip), "truncated: the header announces 784000000 data bytes");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void DimensionsBeyondAnyArrayAreRejected(bool gzip)
    {
        byte[] idx = IdxTestData.Idx([60000, 60000, 28], [1, 2, 3]);
        AssertInvalid(Write("huge", idx, gzip), "more elements than an array can hold");
    }

    [Test]
    public void NegativeDimensionIsRejected()
    {
        byte[] idx = IdxTestData.Idx([-1], [1]);
        AssertInvalid(Write("negative", idx, gzip: false), "too large");
    }

    [TestCase(new byte[0])]
    [TestCase(new byte[] { 0, 0 })]
    [TestCase(new byte[] { 0, 0, 8, 3, 0, 0 })]
    public void ShortHeaderIsRejected(byte[] bytes) => AssertInvalid(Write("short", bytes, gzip: false), "");

    private string Write(string name, byte[] idx, bool gzip)
    {
        string path = Path.Combine(_folder, gzip ? name + ".gz" : name);
        File.WriteAllBytes(path, gzip ? IdxTestData.Gzip(idx) : idx);
        return path;
    }

    private static void AssertInvalid(string path, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.That(ex!.Message, Does.Contain(path));
        Assert.That(ex.Message, Does.Contain(expected));
    }
}
