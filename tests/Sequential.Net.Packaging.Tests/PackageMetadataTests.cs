using System.IO.Compression;
using System.Xml.Linq;

namespace SequentialNet.Packaging.Tests;

/// <summary>What each .nupkg declares: metadata, files and, above all, only the dependencies it needs.</summary>
[Category("Packaging")]
public class PackageMetadataTests
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    private static string PackagePath(string id, string extension = "nupkg") =>
        Path.Combine(PackageFeed.Folder, $"{id}.{Repository.PackageVersion}.{extension}");

    private static XElement Metadata(string id)
    {
        using var zip = ZipFile.OpenRead(PackagePath(id));
        using var stream = zip.GetEntry(id + ".nuspec")!.Open();
        return XDocument.Load(stream).Root!.Element(Nuspec + "metadata")!;
    }

    private static string[] Dependencies(string id) =>
        Metadata(id).Descendants(Nuspec + "dependency").Select(d => (string)d.Attribute("id")!).Order().ToArray();

    private static string[] Entries(string id, string extension = "nupkg")
    {
        using var zip = ZipFile.OpenRead(PackagePath(id, extension));
        return zip.Entries.Select(e => e.FullName).ToArray();
    }

    public static IEnumerable<string> PackageIds => Repository.PackableProjects.Keys;

    [TestCaseSource(nameof(PackageIds))]
    public void Metadata_LicenseReadmeRepositoryVersion(string id)
    {
        var metadata = Metadata(id);
        Assert.That((string?)metadata.Element(Nuspec + "version"), Is.EqualTo(Repository.PackageVersion));
        Assert.That((string?)metadata.Element(Nuspec + "license"), Is.EqualTo("MIT"));
        Assert.That((string?)metadata.Element(Nuspec + "license")!.Attribute("type"), Is.EqualTo("expression"));
        Assert.That((string?)metadata.Element(Nuspec + "readme"), Is.EqualTo("README.md"));
        Assert.That((string?)metadata.Element(Nuspec + "description"), Is.Not.Empty);
        var repository = metadata.Element(Nuspec + "repository");
        Assert.That(repository, Is.Not.Null, "repository metadata");
        Assert.That((string?)repository!.Attribute("type"), Is.EqualTo("git"));
        Assert.That((string?)repository.Attribute("commit"), Does.Match("^[0-9a-f]{40}$"));
    }

    [TestCaseSource(nameof(PackageIds))]
    public void Files_AssemblyXmlDocsReadme_AndASymbolsPackage(string id)
    {
        Assert.That(Entries(id), Is.SupersetOf(new[] { "README.md", $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml" }));
        Assert.That(Entries(id, "snupkg"), Does.Contain($"lib/net10.0/{id}.pdb"));
    }

    [Test]
    public void Dependencies_OnlyWhatEachNeeds()
    {
        Assert.That(Dependencies("Sequential.Net"), Is.EqualTo(new[] { "Newtonsoft.Json", "System.IO.Hashing", "System.Numerics.Tensors" }),
            "the core pulls neither CUDA nor plotting");
        Assert.That(Dependencies("Sequential.Net.Cuda"), Is.EqualTo(new[] { "Sequential.Net" }), "CUDA pulls no plotting");
        Assert.That(Dependencies("Sequential.Net.Plots"), Is.EqualTo(new[] { "ScottPlot", "Sequential.Net" }), "plots pull no CUDA");
    }

    [Test]
    public void CudaPackage_CarriesTheKernelSources()
    {
        using var zip = ZipFile.OpenRead(PackagePath("Sequential.Net.Cuda"));
        using var stream = zip.GetEntry("lib/net10.0/Sequential.Net.Cuda.dll")!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var assembly = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(copy.ToArray()));
        var kernels = assembly.GetManifestResourceNames().Where(n => n.StartsWith("kernels/", StringComparison.Ordinal)).ToList();
        var sources = Directory.GetFiles(Path.Combine(Repository.Root, "kernels"), "*.cu").Select(f => "kernels/" + Path.GetFileName(f));
        Assert.That(kernels, Is.SupersetOf(sources), "every .cu file of kernels/ is embedded");
    }
}
