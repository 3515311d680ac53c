namespace SequentialNet.Tests.Surface;

/// <summary>Save and Load name the user's path and the cause, never the hidden temporary file.</summary>
public class SavePathTests
{
    private string _folder = "";
    private Sequential _model = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "surface-paths-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
        _model = new Sequential(new Layers.Dense(2, inputShape: [3]));
        _model.Build([3]);
    }

    [TearDown]
    public void TearDown()
    {
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void SavingOverAFolderSaysItIsAFolder()
    {
        string path = Path.Combine(_folder, "model.snet");
        Directory.CreateDirectory(path);
        var ex = Assert.Throws<IOException>(() => _model.Save(path))!;
        Assert.That(ex.Message, Does.StartWith($"Cannot save to \"{path}\": it is a folder"));
        Assert.That(ex.Message, Does.Not.Contain(".tmp"));
        Assert.That(Directory.GetFiles(path), Is.Empty, "a temporary file was left behind");
    }

    [Test]
    public void SavingBelowAFileSaysWhichFileIsInTheWay()
    {
        string file = Path.Combine(_folder, "notes");
        File.WriteAllText(file, "not a folder");
        string path = Path.Combine(file, "sub", "model.snet");
        var ex = Assert.Throws<IOException>(() => _model.SaveWeights(path))!;
        Assert.That(ex.Message, Is.EqualTo($"Cannot save to \"{path}\": \"{file}\" is a file, so it cannot be a folder on the way to \"{path}\"."));
    }

    [Test]
    public void LoadingAFolderSaysItIsAFolder()
    {
        var ex = Assert.Throws<IOException>(() => Model.Load(_folder))!;
        Assert.That(ex.Message, Does.StartWith($"Cannot load \"{_folder}\": it is a folder"));
        Assert.Throws<IOException>(() => _model.LoadWeights(_folder));
    }

    [Test]
    public void LoadingBelowAFileIsFileNotFoundNamingTheFile()
    {
        string file = Path.Combine(_folder, "notes");
        File.WriteAllText(file, "x");
        var ex = Assert.Throws<FileNotFoundException>(() => Model.Load(Path.Combine(file, "m.snet")))!;
        Assert.That(ex.Message, Does.Contain($"\"{file}\" is a file"));
    }
}
