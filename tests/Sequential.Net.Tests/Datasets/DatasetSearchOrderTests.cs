using NUnit.Framework;
using SequentialNet.Datasets;

namespace SequentialNet.Tests.Datasets;

[TestFixture]
public sealed class DatasetSearchOrderTests
{
    private const byte ExplicitLabel = 1;
    private const byte EnvironmentLabel = 2;
    private const byte EnvironmentSubfolderLabel = 3;
    private const byte CacheLabel = 4;
    private const byte SystemLabel = 5;

    private string _root = "";
    private string _explicit = "";
    private string _environment = "";
    private string _cacheRoot = "";
    private string _system = "";

    [SetUp]
    public void SetUp()
    {
        _root = IdxTestData.TempFolder();
        _explicit = Path.Combine(_root, "explicit");
        _environment = Path.Combine(_root, "env");
        _cacheRoot = Path.Combine(_root, "cache");
        _system = Path.Combine(_root, "system");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void ExplicitDirectoryBeatsEnvironmentAndCache()
    {
        WriteAll();
        Assert.That(LoadLabel(_explicit, _environment), Is.EqualTo(ExplicitLabel));
    }

    [Test]
    public void EnvironmentBeatsCache()
    {
        WriteAll();
        Assert.That(LoadLabel(null, _environment), Is.EqualTo(EnvironmentLabel));
    }

    [Test]
    public void EnvironmentSubfolderNamedAfterTheDatasetIsUsed()
    {
        IdxTestData.WriteDataset(Path.Combine(_environment, "fashion-mnist"), EnvironmentSubfolderLabel);
        IdxTestData.WriteDataset(_cacheRoot + "/fashion-mnist", CacheLabel);
        Assert.That(LoadLabel(null, _environment), Is.EqualTo(EnvironmentSubfolderLabel));
    }

    [Test]
    public void CacheBeatsSystemFolder()
    {
        WriteAll();
        Assert.That(LoadLabel(null, null), Is.EqualTo(CacheLabel));
    }

    [Test]
    public void SystemFolderIsTheLastPlace()
    {
        IdxTestData.WriteDataset(_system, SystemLabel);
        Assert.That(LoadLabel(null, null), Is.EqualTo(SystemLabel));
    }

    [Test]
    public void IncompleteFoldersAreSkipped()
    {
        WriteAll();
        File.Delete(Path.Combine(_explicit, IdxDatasetSpec.TestLabels + ".gz"));
        File.Delete(Path.Combine(_environment, IdxDatasetSpec.TrainImages + ".gz"));
        Assert.That(LoadLabel(_explicit, _environment), Is.EqualTo(CacheLabel));
    }

    [Test]
    public void RawFilesAndDottedNamesAreFound()
    {
        IdxTestData.WriteDataset(_explicit, ExplicitLabel, gzip: false);
        File.Move(Path.Combine(_explicit, IdxDatasetSpec.TestImages), Path.Combine(_explicit, "t10k-images.idx3-ubyte"));
        Assert.That(LoadLabel(_explicit, null), Is.EqualTo(ExplicitLabel));
    }

    [Test]
    public void LoadedTensorsHaveTheFilesShapesAndValues()
    {
        IdxTestData.WriteDataset(_explicit, ExplicitLabel);
        var ((xTrain, yTrain), (xTest, yTest)) = Loader(null).Load(_explicit);

        Assert.That(xTrain.Shape, Is.EqualTo(new[] { IdxTestData.TrainCount, IdxTestData.Rows, IdxTestData.Columns }));
        Assert.That(yTrain.Shape, Is.EqualTo(new[] { IdxTestData.TrainCount }));
        Assert.That(xTest.Shape, Is.EqualTo(new[] { IdxTestData.TestCount, IdxTestData.Rows, IdxTestData.Columns }));
        Assert.That(yTest.Shape, Is.EqualTo(new[] { IdxTestData.TestCount }));
        int perImage = IdxTestData.Rows * IdxTestData.Columns;
        Assert.That(xTrain.Data[perImage * 2 + 3], Is.EqualTo(IdxTestData.Pixel(2, 3, ExplicitLabel)));
        Assert.That(xTest.Data[perImage * 1 + 7], Is.EqualTo(IdxTestData.Pixel(1, 7, ExplicitLabel)));
    }

    [Test]
    public void ImagesAndLabelsOfDifferentCountsAreRejected()
    {
        IdxTestData.WriteDataset(_explicit, ExplicitLabel);
        File.WriteAllBytes(Path.Combine(_explicit, IdxDatasetSpec.TestLabels + ".gz"), IdxTestData.Gzip(IdxTestData.Idx([2], [1, 1])));

        var ex = Assert.Throws<InvalidDataException>(() => Loader(null).Load(_explicit));
        Assert.That(ex!.Message, Does.Contain(IdxDatasetSpec.TestLabels));
    }

    [Test]
    public void PlacesAreListedInSearchOrder()
    {
        var locator = new DatasetLocator(FashionMnist.Spec, _cacheRoot, [(_system, "system")], EnvironmentWith(_environment));

        string[] folders = [.. locator.Places(_explicit).Select(p => p.Folder)];

        Assert.That(folders, Is.EqualTo(new[]
        {
            _explicit, Path.Combine(_environment, "fashion-mnist"), _environment, Path.Combine(_cacheRoot, "fashion-mnist"), _system,
        }));
    }

    private void WriteAll()
    {
        IdxTestData.WriteDataset(_explicit, ExplicitLabel);
        IdxTestData.WriteDataset(_environment, EnvironmentLabel);
        IdxTestData.WriteDataset(Path.Combine(_cacheRoot, "fashion-mnist"), CacheLabel);
        IdxTestData.WriteDataset(_system, SystemLabel);
    }

    private float LoadLabel(string? directory, string? environment)
    {
        var ((_, yTrain), (_, yTest)) = Loader(environment).Load(directory);
        Assert.That(yTest.Data[0], Is.EqualTo(yTrain.Data[0]));
        return yTrain.Data[0];
    }

    private IdxDatasetLoader Loader(string? environment) => new(FashionMnist.Spec)
    {
        CacheRoot = _cacheRoot,
        SystemFolders = [(_system, "test system folder")],
        GetEnvironmentVariable = EnvironmentWith(environment),
        BaseUrl = new Uri($"http://127.0.0.1:{LocalHttpServer.UnusedPort()}/"),
        Progress = TextWriter.Null,
    };

    private static Func<string, string?> EnvironmentWith(string? data) =>
        name => name == DatasetEnvironment.DataVariable ? data : null;
}
