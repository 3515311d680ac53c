using NUnit.Framework;
using SequentialNet.Datasets;

namespace SequentialNet.Tests.Datasets;

/// <summary>Nothing on disk and no server: one clear exception. The "network" is a closed loopback port.</summary>
[TestFixture]
public sealed class DatasetNotFoundTests
{
    private string _root = "";

    [SetUp]
    public void SetUp() => _root = IdxTestData.TempFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void FashionMnistListsEveryPlaceAndTheRemedies()
    {
        string explicitDir = Path.Combine(_root, "explicit");
        string data = Path.Combine(_root, "data");
        string system = Path.Combine(_root, "usr-share");
        var loader = Loader(FashionMnist.Spec, data, [(system, "Debian package dataset-fashion-mnist")]);

        var ex = Assert.Throws<DatasetNotFoundException>(() => loader.Load(explicitDir));

        string[] expected = [explicitDir, Path.Combine(data, "fashion-mnist"), data, Path.Combine(_root, "cache", "fashion-mnist"), system];
        Assert.That(ex!.SearchedLocations, Is.EqualTo(expected));
        foreach (string place in expected) Assert.That(ex.Message, Does.Contain(place));
        Assert.That(ex.Message, Does.Contain("apt-get install dataset-fashion-mnist"));
        Assert.That(ex.Message, Does.Contain("SEQUENTIAL_NET_DATA"));
        Assert.That(ex.Message, Does.Contain("train-images-idx3-ubyte.gz"));
        Assert.That(ex.InnerException, Is.InstanceOf<HttpRequestException>());
    }

    [Test]
    public void MnistSaysTheVariableIsUnsetAndLeavesTheCacheEmpty()
    {
        var loader = Loader(Mnist.Spec, null, []);

        var ex = Assert.Throws<DatasetNotFoundException>(() => loader.Load(null));

        Assert.That(ex!.Message, Does.Contain("MNIST"));
        Assert.That(ex.Message, Does.Contain("SEQUENTIAL_NET_DATA (not set)"));
        Assert.That(ex.Message, Does.Contain(Path.Combine(_root, "cache", "mnist")));
        Assert.That(ex.Message, Does.Not.Contain("apt-get"));
        string cache = Path.Combine(_root, "cache", "mnist");
        Assert.That(Directory.Exists(cache) ? Directory.GetFiles(cache) : [], Is.Empty);
    }

    private IdxDatasetLoader Loader(IdxDatasetSpec spec, string? data, IReadOnlyList<(string, string)> system) => new(spec)
    {
        CacheRoot = Path.Combine(_root, "cache"),
        SystemFolders = system,
        GetEnvironmentVariable = name => name == DatasetEnvironment.DataVariable ? data : null,
        BaseUrl = new Uri($"http://127.0.0.1:{LocalHttpServer.UnusedPort()}/"),
        Progress = TextWriter.Null,
    };
}
