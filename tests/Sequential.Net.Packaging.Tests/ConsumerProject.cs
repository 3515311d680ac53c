using System.Globalization;
using System.Text.RegularExpressions;

namespace SequentialNet.Packaging.Tests;

/// <summary>
/// A new console project in a temporary folder, made the way a user makes one: <c>dotnet new console</c>,
/// <c>dotnet add package …</c> (from the local feed only), a Program.cs, <c>dotnet run</c>.
/// </summary>
internal sealed partial class ConsumerProject
{
    private ConsumerProject(string folder) => Folder = folder;

    /// <summary>The project folder (also its name).</summary>
    public string Folder { get; }

    /// <summary>
    /// The folder NuGet extracts packages into: one for all consumer projects of this test run (new with the run,
    /// so no Sequential.Net extracted by an earlier run is used; shared, so ScottPlot and SkiaSharp are extracted once).
    /// </summary>
    public string PackagesFolder => Path.Combine(PackageFeed.WorkRoot, "packages");

    /// <summary>A project made by a template in <paramref name="folder"/>, restoring through a nuget.config put there.</summary>
    public static ConsumerProject FromTemplate(string folder)
    {
        var project = new ConsumerProject(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), PackageFeed.NuGetConfig(project.PackagesFolder));
        return project;
    }

    /// <summary>Creates <paramref name="name"/> under the run's work folder and adds <paramref name="packages"/>.</summary>
    public static ConsumerProject Create(string name, params string[] packages)
    {
        var project = new ConsumerProject(Path.Combine(PackageFeed.WorkRoot, name));
        Directory.CreateDirectory(project.Folder);
        File.WriteAllText(Path.Combine(project.Folder, "nuget.config"), PackageFeed.NuGetConfig(project.PackagesFolder));
        DotnetCli.Run(project.Folder, "new", "console", "--framework", "net10.0", "--no-restore");   // dotnet add package restores
        foreach (string package in packages)
            DotnetCli.Run(project.Folder, "add", "package", package, "--version", Repository.PackageVersion);
        return project;
    }

    /// <summary>Replaces Program.cs.</summary>
    public void WriteProgram(string source) => File.WriteAllText(Path.Combine(Folder, "Program.cs"), source);

    /// <summary><c>dotnet run -c Release</c>; fails the test when it does not exit with 0.</summary>
    public DotnetCli.Result Run() => DotnetCli.Run(Folder, "run", "-c", "Release");

    /// <summary>The package ids (lower case) the restore resolved, read from obj/project.assets.json.</summary>
    public IReadOnlyList<string> RestoredPackages() => RestoredPackages(Folder);

    /// <summary>The package ids (lower case) resolved for the project in <paramref name="projectFolder"/>.</summary>
    public static IReadOnlyList<string> RestoredPackages(string projectFolder)
    {
        string assets = File.ReadAllText(Path.Combine(projectFolder, "obj", "project.assets.json"));
        using var json = System.Text.Json.JsonDocument.Parse(assets);
        return json.RootElement.GetProperty("libraries").EnumerateObject()
            .Select(p => p.Name.Split('/')[0].ToLowerInvariant()).ToList();
    }

    /// <summary>The source NuGet recorded for an extracted package (the .nupkg.metadata file).</summary>
    public string SourceOf(string packageId)
    {
        string metadata = Path.Combine(PackagesFolder, packageId.ToLowerInvariant(), Repository.PackageVersion, ".nupkg.metadata");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(metadata));
        return json.RootElement.GetProperty("source").GetString()!;
    }

    /// <summary>The number after "<paramref name="label"/>:" in <paramref name="output"/>.</summary>
    public static double Number(string output, string label)
    {
        var match = Regex.Match(output, Regex.Escape(label) + @":\s*([0-9.]+)");
        Assert.That(match.Success, Is.True, $"no \"{label}: …\" line in the output:\n{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
