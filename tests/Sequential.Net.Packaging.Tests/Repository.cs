using System.Reflection;

namespace SequentialNet.Packaging.Tests;

/// <summary>Facts about the repository this test assembly was built from (recorded at build time).</summary>
internal static class Repository
{
    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>The repository root, with a trailing separator.</summary>
    public static string Root => Metadata("RepositoryRoot");

    /// <summary>The build configuration of this test run (Release in CI); the packages are packed from it.</summary>
    public static string Configuration => Metadata("Configuration");

    /// <summary>The version every package of the repository carries (Directory.Build.props).</summary>
    public static string PackageVersion => Metadata("PackageVersion");

    /// <summary>The projects packed as NuGet packages, by package id.</summary>
    public static readonly IReadOnlyDictionary<string, string> PackableProjects = new Dictionary<string, string>
    {
        ["Sequential.Net"] = "Sequential.Net/Sequential.Net.csproj",
        ["Sequential.Net.Cuda"] = "Sequential.Net.Cuda/Sequential.Net.Cuda.csproj",
        ["Sequential.Net.Plots"] = "Sequential.Net.Plots/Sequential.Net.Plots.csproj",
    };

    /// <summary>The dotnet new template package's project (content only: no assembly, no symbols).</summary>
    public const string TemplateProject = "templates/Sequential.Net.Templates.csproj";
}
