namespace SequentialNet.Packaging.Tests;

/// <summary>
/// The packages of this repository in a local folder feed under a temporary folder, packed once per test run
/// from the build that the test run made (<c>dotnet pack --no-build</c>, so nothing in the repository's
/// bin/obj changes), and the NuGet settings that let a new project restore them offline.
/// </summary>
[SetUpFixture]
public sealed class PackageFeed
{
    private static readonly Lazy<string> PackedFeed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> MachinePackages = new(FindGlobalPackagesFolder, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The temporary folder that holds the feed and every consumer project of this run.</summary>
    public static string WorkRoot { get; private set; } = "";

    /// <summary>The folder feed with the .nupkg and .snupkg files.</summary>
    public static string Folder => PackedFeed.Value;

    [OneTimeSetUp]
    public void CreateWorkRoot()
    {
        WorkRoot = Directory.CreateTempSubdirectory("snet-packaging-").FullName;
        // Empty Directory.Build.* files end MSBuild's upward search here, so a stray file in the temp folder's
        // parents cannot change the consumer builds.
        File.WriteAllText(Path.Combine(WorkRoot, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(WorkRoot, "Directory.Build.targets"), "<Project />\n");
    }

    [OneTimeTearDown]
    public void RemoveWorkRoot()
    {
        if (WorkRoot.Length > 0 && Directory.Exists(WorkRoot)) Directory.Delete(WorkRoot, recursive: true);
    }

    /// <summary>
    /// A nuget.config for a consumer folder: this run's packages come only from <see cref="Folder"/> (package
    /// source mapping), everything else (Newtonsoft.Json, ScottPlot, NUnit, …) from the machine's NuGet
    /// package folder, which the repository's own restore has filled; packages are extracted into a fresh folder
    /// of this test run, so an older Sequential.Net cached on the machine is never used.
    /// </summary>
    public static string NuGetConfig(string packagesFolder) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="{packagesFolder}" />
          </config>
          <packageSources>
            <clear />
            <add key="local-feed" value="{Folder}" />
            <add key="machine-packages" value="{MachinePackages.Value}" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="local-feed">
              <package pattern="Sequential.Net" />
              <package pattern="Sequential.Net.*" />
            </packageSource>
            <packageSource key="machine-packages">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    private static string Pack()
    {
        string feed = Path.Combine(WorkRoot, "feed");
        foreach (string project in Repository.PackableProjects.Values.Append(Repository.TemplateProject))
            DotnetCli.Run(Repository.Root, "pack", project, "-c", Repository.Configuration, "--no-build", "-o", feed,
                "-p:NuspecOutputPath=" + Path.Combine(WorkRoot, "nuspec", Path.GetFileNameWithoutExtension(project)) + "/");
        return feed;
    }

    // "global-packages: /root/.nuget/packages/" — where the repository's restore put its dependencies.
    private static string FindGlobalPackagesFolder()
    {
        var result = DotnetCli.Run(Repository.Root, "nuget", "locals", "global-packages", "--list");
        string line = result.Stdout.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        return line["global-packages:".Length..].Trim();
    }
}
