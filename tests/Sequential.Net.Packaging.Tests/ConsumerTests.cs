namespace SequentialNet.Packaging.Tests;

/// <summary>
/// The packages work without the repository: a new console project that references them from the local
/// feed trains on the built-in Digits set, saves, loads and evaluates (issue: "the first hour").
/// </summary>
[Category("Packaging")]
public class ConsumerTests
{
    // The ~15-line program a user writes. The accuracy is printed by the model loaded back from the file.
    private const string DigitsProgram = """
        using SequentialNet; using SequentialNet.Datasets; using SequentialNet.Layers; using SequentialNet.Optimizers;

        Utils.SetRandomSeed(42);
        var ((xTrain, yTrain), (xTest, yTest)) = Digits.LoadData();
        xTrain = xTrain.Reshape(-1, 64) / 16f;  xTest = xTest.Reshape(-1, 64) / 16f;
        var model = new Sequential(
            new Dense(64, activation: "relu", inputShape: [64]),
            new Dense(10, activation: "softmax"));
        model.Compile(optimizer: new Adam(learningRate: 3e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        model.Fit(xTrain, yTrain, epochs: 30, batchSize: 32, verbose: 0);
        model.Save("digits.snet");
        using var loaded = Model.Load("digits.snet");
        Console.WriteLine($"device: {loaded.Device}");
        Console.WriteLine($"test accuracy: {loaded.Evaluate(xTest, yTest, verbose: 0)["accuracy"]:F4}");
        """;

    [Test]
    public void CorePackage_TrainsSavesLoads_FromTheLocalFeedOnly()
    {
        var project = ConsumerProject.Create("DigitsCpu", "Sequential.Net");
        project.WriteProgram(DigitsProgram);

        var run = project.Run();

        Assert.That(ConsumerProject.Number(run.Stdout, "test accuracy"), Is.GreaterThanOrEqualTo(0.9), run.Stdout);
        Assert.That(run.Stdout, Does.Contain("device: cpu"));
        Assert.That(run.Stderr, Does.Not.Contain("using the CPU"), "no notice without the CUDA package");
        Assert.That(project.SourceOf("Sequential.Net"), Is.EqualTo(PackageFeed.Folder).Or.EqualTo(PackageFeed.Folder + "/"), "restored from the local feed");
        var restored = project.RestoredPackages();
        Assert.That(restored, Does.Contain("sequential.net"));
        Assert.That(restored, Has.None.StartsWith("sequential.net.cuda").And.None.StartsWith("scottplot").And.None.StartsWith("skiasharp"),
            "the core package pulls neither CUDA nor plotting");
    }

    [Test]
    public void CudaPackage_WithoutAGpu_FallsBackToTheCpuWithOneNotice()
    {
        var project = ConsumerProject.Create("DigitsCuda", "Sequential.Net.Cuda");
        project.WriteProgram(DigitsProgram);

        var run = project.Run();

        Assert.That(ConsumerProject.Number(run.Stdout, "test accuracy"), Is.GreaterThanOrEqualTo(0.9), run.Stdout);
        Assert.That(project.SourceOf("Sequential.Net.Cuda"), Is.EqualTo(PackageFeed.Folder).Or.EqualTo(PackageFeed.Folder + "/"));
        Assert.That(project.SourceOf("Sequential.Net"), Is.EqualTo(PackageFeed.Folder).Or.EqualTo(PackageFeed.Folder + "/"), "the dependency too");
        var restored = project.RestoredPackages();
        Assert.That(restored, Does.Contain("sequential.net.cuda").And.Contain("sequential.net"));
        Assert.That(restored, Has.None.StartsWith("scottplot").And.None.StartsWith("skiasharp"), "the CUDA package pulls no plotting");
        if (run.Stdout.Contains("device: cuda"))
            Assert.That(run.Stderr, Does.Not.Contain("using the CPU"), "a GPU machine: trained on the GPU");
        else
        {
            // The machines CI runs on have no GPU: the CPU with exactly one notice line saying why.
            Assert.That(run.Stdout, Does.Contain("device: cpu"));
            var notices = run.Stderr.Split('\n').Where(l => l.StartsWith("Sequential.Net: using the CPU (", StringComparison.Ordinal)).ToList();
            Assert.That(notices, Has.Count.EqualTo(1), run.Stderr);
        }
    }
}
