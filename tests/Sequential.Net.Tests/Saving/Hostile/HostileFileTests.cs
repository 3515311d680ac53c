using SequentialNet.Saving;

namespace SequentialNet.Tests.Saving.Hostile;

/// <summary>
/// Each file of the hostile-file suite (<see cref="HostileFiles"/>) gives its documented outcome: a
/// <see cref="ModelFormatException"/> naming the file and the problem (never another exception, an
/// out-of-memory or a hang), or a model that loads; nothing is written outside the model's folder.
/// </summary>
[NonParallelizable]
public class HostileFileTests
{
    private string _folder = "", _valid = "";

    [OneTimeSetUp]
    public void WriteTheValidModel()
    {
        _folder = SavingFixtures.NewFolder();
        _valid = Path.Combine(_folder, "valid.snet");
        Utils.SetRandomSeed(15);
        HostileFiles.WriteValidModel(_valid);
    }

    [OneTimeTearDown]
    public void RemoveTheFolder() => Directory.Delete(_folder, recursive: true);

    private static IEnumerable<string> Cases() => HostileFiles.All.Where(c => !c.Slow).Select(c => c.Name);

    [TestCaseSource(nameof(Cases))]
    public void LoadGivesTheDocumentedOutcome(string name)
    {
        var hostile = HostileFiles.All.Single(c => c.Name == name);
        string path = Path.Combine(_folder, "a", "b", hostile.Name + ".snet");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        hostile.Write(_valid, path);
        try
        {
            var error = Within(() => { using var model = Model.Load(path); Assert.That(model.Layers, Is.Not.Empty); });
            if (hostile.Rejects == null) Assert.That(error, Is.Null, $"{hostile.Attack} must load");
            else AssertRejected(error, path, hostile.Rejects);
            Assert.That(Directory.GetFiles(_folder, "escaped*", SearchOption.AllDirectories), Is.Empty, "nothing is written for an entry name");
            if (!hostile.WeightsFileToo) return;
            using var target = Model.Load(_valid);
            var before = target.GetWeights().SelectMany(w => w.Data).ToArray();
            AssertRejected(Within(() => target.LoadWeights(path)), path, hostile.Rejects!);
            Assert.That(target.GetWeights().SelectMany(w => w.Data).ToArray(), Is.EqualTo(before), "LoadWeights changed nothing");
        }
        finally { File.Delete(path); }
    }

    /// <summary>
    /// What Save writes for 65,536 layers passes the reader's limits, for the layer with the longest entry
    /// we know (a Dense with custom initializers and regularizers) and for a plain one. The text is built
    /// as the writer builds text that long: compact. (Loading such a model whole takes minutes and is
    /// measured by the benchmark's --hostile table.)
    /// </summary>
    [TestCase(false), TestCase(true)]
    public void AConfigOf65536LayersFitsTheLimits(bool rich)
    {
        var dense = rich
            ? new Layers.Dense(3, activation: Activations.LeakyRelu(0.3f), kernelInitializer: new Initializers.VarianceScaling(1.5, "fan_avg", "uniform"),
                biasInitializer: new Initializers.Constant(0.5f), kernelRegularizer: new Regularizers.L1L2(0.01, 0.02), biasRegularizer: new Regularizers.L2(0.03))
            : new Layers.Dense(1);
        using var model = new Sequential(dense);
        model.Build([3]);
        var config = ModelConfig.Serialize(model);
        var layers = (Newtonsoft.Json.Linq.JArray)config["config"]!["layers"]!;
        string[] entry = Json.Compact(layers[0]).Split(dense.Name);
        layers.Clear();
        string[] around = Json.Compact(config).Split("\"layers\":[]");
        var text = new System.Text.StringBuilder(around[0]).Append("\"layers\":[");
        for (int i = 0; i < ModelFileFormat.MaxLayers; i++)
            text.Append(i == 0 ? "" : ",").AppendJoin($"dense_{100_000 + i}", entry);
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(text.Append(']').Append(around[1]).ToString());
        Assert.That(utf8.Length, Is.LessThanOrEqualTo(ModelFileFormat.MaxJsonBytes), "the JSON text of 65,536 entries");
        var parsed = BoundedJsonReader.ParseObject(utf8, JsonLimits.Config, ModelFileFormat.Config);
        Assert.That(((Newtonsoft.Json.Linq.JArray)parsed["config"]!["layers"]!).Count, Is.EqualTo(ModelFileFormat.MaxLayers));
    }

    [Test]
    public void LongJsonIsWrittenCompact()
    {
        var small = new Newtonsoft.Json.Linq.JObject { ["a"] = new Newtonsoft.Json.Linq.JArray(1, 2) };
        Assert.That(System.Text.Encoding.UTF8.GetString(Json.ToUtf8(small)), Does.Contain("\n"));
        var large = new Newtonsoft.Json.Linq.JObject { ["a"] = new Newtonsoft.Json.Linq.JArray(Enumerable.Range(0, Json.MaxIndentedChars / 8).Cast<object>().ToArray()) };
        string text = System.Text.Encoding.UTF8.GetString(Json.ToUtf8(large));
        Assert.That(text, Does.Not.Contain("\n"));
        Assert.That(Json.Compact(BoundedJsonReader.ParseObject(Json.ToUtf8(large), JsonLimits.Config with { MaxArrayLength = int.MaxValue, MaxTokens = long.MaxValue }, "x")), Is.EqualTo(text));
    }

    /// <summary>Runs <paramref name="load"/> on a worker with a generous time limit (a hang fails the test); returns its exception.</summary>
    private static Exception? Within(Action load)
    {
        var task = Task.Run(() =>
        {
            try { load(); return null; }
            catch (Exception e) { return e; }
        });
        Assert.That(task.Wait(TimeSpan.FromMinutes(3)), Is.True, "loading did not finish within 3 minutes");
        return task.Result;
    }

    private static void AssertRejected(Exception? error, string path, string[] fragments)
    {
        Assert.That(error, Is.InstanceOf<ModelFormatException>(), $"expected a ModelFormatException. Received: {error}");
        var e = (ModelFormatException)error!;
        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.StartWith($"Cannot load \"{path}\": "));
        foreach (var fragment in fragments) Assert.That(e.Message, Does.Contain(fragment));
        Assert.That(e.InnerException, Is.Not.InstanceOf<OutOfMemoryException>());
    }
}
