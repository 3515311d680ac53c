using SequentialNet.Saving;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Saving;

/// <summary>Every kind of bad file gives a <see cref="ModelFormatException"/> naming the file and the problem.</summary>
public class BadFileTests
{
    private string _folder = "", _path = "";
    private Sequential _model = null!;

    [SetUp]
    public void SetUp()
    {
        Utils.SetRandomSeed(5);
        _folder = NewFolder();
        _path = Path.Combine(_folder, "model.snet");
        _model = DropoutMlp();
        var (x, y) = Data();
        _model.Fit(x, y, epochs: 1, verbose: 0);
        _model.Save(_path);
    }

    [TearDown]
    public void TearDown()
    {
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private ModelFormatException LoadFails(params string[] expectedFragments)
    {
        var ex = Assert.Throws<ModelFormatException>(() => Model.Load(_path).Dispose())!;
        Assert.That(ex.FilePath, Is.EqualTo(_path));
        Assert.That(ex.Message, Does.StartWith($"Cannot load \"{_path}\": "));
        foreach (var fragment in expectedFragments) Assert.That(ex.Message, Does.Contain(fragment));
        return ex;
    }

    [Test]
    public void MissingFileIsFileNotFound() => Assert.Throws<FileNotFoundException>(() => Model.Load(Path.Combine(_folder, "nope.snet")));

    [Test]
    public void NotAZip()
    {
        File.WriteAllText(_path, "this is a text file, not a model, but it is long enough to look like one");
        LoadFails("expected a zip archive");
        File.WriteAllBytes(_path, []);
        LoadFails("expected a zip archive", "0 bytes");
    }

    [TestCase(0.1), TestCase(0.5), TestCase(0.9), TestCase(0.999)]
    public void Truncated(double fraction)
    {
        var bytes = File.ReadAllBytes(_path);
        File.WriteAllBytes(_path, bytes[..(int)(bytes.Length * fraction)]);
        LoadFails("zip");
    }

    [Test]
    public void WrongFormatVersion()
    {
        ZipEdit.Json(_path, "metadata.json", j => { j["format_version"] = 2; j["library_version"] = "9.0.0"; });
        LoadFails("format version 2", "Sequential.Net 9.0.0", "Upgrade");
        ZipEdit.Json(_path, "metadata.json", j => j["format"] = "keras");
        LoadFails("expected \"format\": \"sequential-net\"", "\"keras\"");
    }

    [TestCase("config.json"), TestCase("weights.json"), TestCase("weights.bin"), TestCase("metadata.json"), TestCase("optimizer.bin")]
    public void MissingEntry(string entry)
    {
        ZipEdit.Remove(_path, entry);
        LoadFails($"expected an entry \"{entry}\"");
    }

    [Test]
    public void ShapesThatDoNotMatchTheConfig()
    {
        ZipEdit.Json(_path, "config.json", j => j["config"]!["layers"]![0]!["config"]!["units"] = 15);
        LoadFails("weights.json", "expected \"dense", "(6, 15)", "Received", "(6, 16)");
        ZipEdit.Json(_path, "config.json", j => j["config"]!["layers"]![0]!["config"]!["units"] = 17);
        LoadFails("config.json", "asks layer", "do not belong together");
    }

    [Test]
    public void AConfigAskingForMoreWeightsThanTheFileHoldsFailsBeforeAllocating()
    {
        ZipEdit.Json(_path, "config.json", j => j["config"]!["layers"]![0]!["config"]!["units"] = 100_000_000);
        LoadFails("config.json", "asks layer \"dense\"", "600000000 elements", "do not belong together");
        ZipEdit.Json(_path, "config.json", j => j["config"]!["layers"]![0]!["config"]!["units"] = 1_000_000_000);
        LoadFails("too large for one array");
    }

    [Test]
    public void ACorruptedTensorIsNamed()
    {
        ZipEdit.Bytes(_path, "weights.bin", b => b[40] ^= 0x10);   // the zip CRC is rewritten: only the manifest's catches it
        LoadFails("weights.bin", "tensor \"dense", "is corrupted", "CRC-32");
    }

    [Test]
    public void AManifestThatDoesNotFitItsDataIsCaught()
    {
        ZipEdit.Bytes(_path, "weights.bin", b => { });
        ZipEdit.Json(_path, "weights.json", j => j["tensors"]![1]!["offset"] = 8);
        LoadFails("weights.json", "expected offset");
        SetUp();
        ZipEdit.Bytes(_path, "optimizer.bin", b => { });
        ZipEdit.Json(_path, "optimizer.json", j => j["tensors"]![0]!["name"] = "velocity/other");
        LoadFails("optimizer.json", "expected \"momentum/");
    }

    [Test]
    public void NotJson()
    {
        ZipEdit.Bytes(_path, "config.json", b => b[0] = (byte)'#');
        LoadFails("config.json", "expected valid JSON");
    }

    [Test]
    public void BadValuesInTheConfigAreNamed()
    {
        ZipEdit.Json(_path, "config.json", j => j["config"]!["layers"]![1]!["config"]!["rate"] = 1.5);
        LoadFails("layers[1] (Dropout)", "rate");
        ZipEdit.Json(_path, "config.json", j => { j["config"]!["layers"]![1]!["config"]!["rate"] = 0.3; j["compile_config"]!["optimizer"]!["class_name"] = "Shampoo"; });
        LoadFails("unknown optimizer class \"Shampoo\"", "Adam");
    }
}
