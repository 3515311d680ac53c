using NUnit.Framework;
using SequentialNet.Datasets;

namespace SequentialNet.Tests.Datasets;

/// <summary>The download path, against a local HTTP server on 127.0.0.1; never the internet.</summary>
[TestFixture]
public sealed class DatasetDownloadTests
{
    private const byte Label = 7;

    private string _cacheRoot = "";
    private Dictionary<string, byte[]> _files = [];
    private Dictionary<string, string> _hashes = [];

    private string CacheFolder => Path.Combine(_cacheRoot, "fashion-mnist");

    [SetUp]
    public void SetUp()
    {
        _cacheRoot = IdxTestData.TempFolder();
        _files = IdxTestData.GzipFiles(Label);
        _hashes = _files.ToDictionary(f => f.Key, f => IdxTestData.Sha256(f.Value));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_cacheRoot, recursive: true);

    [Test]
    public void DownloadsVerifiesAndCachesTheFourFiles()
    {
        using var server = new LocalHttpServer(Served("/data/"));
        var progress = new StringWriter();

        var ((xTrain, yTrain), (xTest, yTest)) = Loader(new Uri(server.Root, "data/"), progress).Load(null);

        Assert.That(xTrain.Shape, Is.EqualTo(new[] { IdxTestData.TrainCount, IdxTestData.Rows, IdxTestData.Columns }));
        Assert.That(xTest.Shape, Is.EqualTo(new[] { IdxTestData.TestCount, IdxTestData.Rows, IdxTestData.Columns }));
        Assert.That(yTrain.Data, Is.All.EqualTo(Label));
        Assert.That(yTest.Data, Is.All.EqualTo(Label));
        Assert.That(CachedFileNames(), Is.EquivalentTo(_files.Keys));
        Assert.That(progress.ToString(), Does.Contain($"Downloading {server.Root}data/{IdxDatasetSpec.TrainImages}.gz"));
    }

    [Test]
    public void SecondLoadUsesTheCacheWithoutRequests()
    {
        using var server = new LocalHttpServer(Served("/data/"));
        Loader(new Uri(server.Root, "data/")).Load(null);
        int requests = server.RequestCount;

        Loader(new Uri(server.Root, "data/")).Load(null);

        Assert.That(requests, Is.EqualTo(4));
        Assert.That(server.RequestCount, Is.EqualTo(4));
    }

    [Test]
    public void OnlyMissingFilesAreDownloaded()
    {
        Directory.CreateDirectory(CacheFolder);
        foreach (string name in new[] { IdxDatasetSpec.TrainImages + ".gz", IdxDatasetSpec.TestImages + ".gz" })
            File.WriteAllBytes(Path.Combine(CacheFolder, name), _files[name]);
        using var server = new LocalHttpServer(Served("/data/"));

        Loader(new Uri(server.Root, "data/")).Load(null);

        Assert.That(server.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public void MirrorFromEnvironmentVariableServesDatasetSubfolder()
    {
        using var server = new LocalHttpServer(Served("/mirror/fashion-mnist/"));
        string mirror = new Uri(server.Root, "mirror").ToString();
        var loader = new IdxDatasetLoader(FashionMnist.Spec)
        {
            CacheRoot = _cacheRoot,
            SystemFolders = [],
            GetEnvironmentVariable = name => name == DatasetEnvironment.UrlVariable ? mirror : null,
            Sha256 = _hashes,
            Progress = TextWriter.Null,
        };

        var ((_, yTrain), _) = loader.Load(null);

        Assert.That(yTrain.Data, Is.All.EqualTo(Label));
        Assert.That(server.RequestCount, Is.EqualTo(4));
    }

    [Test]
    public void ChecksumMismatchThrowsAndLeavesNothingInTheCache()
    {
        string corrupted = IdxDatasetSpec.TrainImages + ".gz"; // the first file downloaded
        Dictionary<string, byte[]> served = Served("/data/");
        served["/data/" + corrupted] = [.. _files[corrupted]];
        served["/data/" + corrupted][^10] ^= 0x01;
        using var server = new LocalHttpServer(served);

        var ex = Assert.Throws<InvalidDataException>(() => Loader(new Uri(server.Root, "data/")).Load(null));

        Assert.That(ex!.Message, Does.Contain("SHA-256 mismatch").And.Contain(corrupted).And.Contain(_hashes[corrupted]));
        Assert.That(CachedFileNames(), Is.Empty, "neither the corrupted file nor its temporary file may stay in the cache");
        Assert.That(server.RequestCount, Is.EqualTo(1), "the download stops at the first bad file");
    }

    [Test]
    public void HttpErrorBecomesDatasetNotFound()
    {
        using var server = new LocalHttpServer([]);

        var ex = Assert.Throws<DatasetNotFoundException>(() => Loader(new Uri(server.Root, "data/")).Load(null));

        Assert.That(ex!.Message, Does.Contain("404"));
        Assert.That(ex.InnerException, Is.InstanceOf<HttpRequestException>());
        Assert.That(CachedFileNames(), Is.Empty);
    }

    [Test]
    public void FileWithoutKnownChecksumIsNotDownloaded()
    {
        using var server = new LocalHttpServer(Served("/data/"));
        var loader = new IdxDatasetLoader(FashionMnist.Spec)
        {
            CacheRoot = _cacheRoot,
            SystemFolders = [],
            GetEnvironmentVariable = _ => null,
            BaseUrl = new Uri(server.Root, "data/"),
            Sha256 = new Dictionary<string, string>(),
            Progress = TextWriter.Null,
        };

        Assert.Throws<InvalidOperationException>(() => loader.Load(null));
        Assert.That(server.RequestCount, Is.Zero);
    }

    private Dictionary<string, byte[]> Served(string prefix) => _files.ToDictionary(f => prefix + f.Key, f => f.Value);

    private string[] CachedFileNames() =>
        Directory.Exists(CacheFolder) ? [.. Directory.GetFiles(CacheFolder).Select(p => Path.GetFileName(p))] : [];

    private IdxDatasetLoader Loader(Uri? baseUrl, TextWriter? progress = null) => new(FashionMnist.Spec)
    {
        CacheRoot = _cacheRoot,
        SystemFolders = [],
        GetEnvironmentVariable = _ => null,
        BaseUrl = baseUrl,
        Sha256 = _hashes,
        Progress = progress ?? TextWriter.Null,
    };
}
