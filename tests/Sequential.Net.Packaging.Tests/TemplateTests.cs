
namespace SequentialNet.Packaging.Tests;

/// <summary>
/// <c>dotnet new sequentialnet-console</c> from the packed template makes a solution whose tests pass and whose
/// app trains, prints the test accuracy and writes curves.png, with the packages of the local feed.
/// </summary>
[Category("Packaging")]
public class TemplateTests
{
    [Test]
    public void SequentialNetConsole_TestsPass_AppTrainsAndPlots()
    {
        string root = Path.Combine(PackageFeed.WorkRoot, "template");
        string hive = Path.Combine(root, "hive");   // a private template store: the user's own is left alone
        Directory.CreateDirectory(root);
        string package = Path.Combine(PackageFeed.Folder, $"Sequential.Net.Templates.{Repository.PackageVersion}.nupkg");
        DotnetCli.Run(root, "new", "install", package, "--debug:custom-hive", hive);
        DotnetCli.Run(root, "new", "sequentialnet-console", "-n", "FirstModel", "--debug:custom-hive", hive);
        string folder = Path.Combine(root, "FirstModel");
        Assert.That(File.Exists(Path.Combine(folder, "FirstModel.slnx")), Is.True, "the name replaces SequentialNetApp");
        Assert.That(File.ReadAllText(Path.Combine(folder, "src", "FirstModel", "FirstModel.csproj")),
            Does.Contain($"Include=\"Sequential.Net\" Version=\"{Repository.PackageVersion}\""), "the version was stamped");
        var project = ConsumerProject.FromTemplate(folder);

        var test = DotnetCli.Run(folder, "test");
        Assert.That(test.Stdout, Does.Match(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+3"), test.Stdout);

        // The Debug build that dotnet test made (the library inside is the Release package either way).
        var run = DotnetCli.Run(folder, "run", "--project", "src/FirstModel", "--no-build", "--", "--digits");
        Assert.That(ConsumerProject.Number(run.Stdout, "Test accuracy"), Is.GreaterThanOrEqualTo(0.9), run.Stdout);
        Assert.That(File.Exists(Path.Combine(folder, "model.snet")), Is.True);
        // curves.png comes from the Sequential.Net.Plots package (history.Plot): a PNG with a drawn plot in it.
        byte[] png = File.ReadAllBytes(Path.Combine(folder, "curves.png"));
        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        Assert.That(png.Length, Is.GreaterThan(10_000), "a drawn plot, not an empty image");
        foreach (string id in new[] { "Sequential.Net", "Sequential.Net.Plots" })
            Assert.That(project.SourceOf(id), Is.EqualTo(PackageFeed.Folder).Or.EqualTo(PackageFeed.Folder + "/"), id + " from the local feed");
        Assert.That(ConsumerProject.RestoredPackages(Path.Combine(folder, "src", "FirstModel")), Does.Contain("scottplot").And.None.StartsWith("sequential.net.cuda"), "plots pull no CUDA");
    }
}
