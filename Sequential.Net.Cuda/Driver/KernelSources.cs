using System.Reflection;
using System.Text;

namespace SequentialNet.Cuda;

/// <summary>
/// The kernel sources embedded in Sequential.Net.Cuda: every kernels/*.cu (one NVRTC program, one module
/// each) and every kernels/*.cuh (passed to every program as a named header, so <c>#include "common.cuh"</c>
/// resolves without a file system). The csproj embeds them with LogicalName <c>kernels/&lt;file&gt;</c>.
/// </summary>
internal static class KernelSources
{
    private const string Prefix = "kernels/";
    private static readonly Lazy<(KernelFile[] Programs, KernelFile[] Headers)> Embedded = new(() => Load(typeof(KernelSources).Assembly));

    /// <summary>The .cu files, in name order.</summary>
    public static IReadOnlyList<KernelFile> Programs => Embedded.Value.Programs;

    /// <summary>The .cuh files, in name order.</summary>
    public static IReadOnlyList<KernelFile> Headers => Embedded.Value.Headers;

    /// <summary>Reads the kernels/*.cu and kernels/*.cuh resources of <paramref name="assembly"/>.</summary>
    internal static (KernelFile[] Programs, KernelFile[] Headers) Load(Assembly assembly)
    {
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new KernelFile(n[Prefix.Length..], Read(assembly, n)))
            .ToArray();
        return (files.Where(f => f.Name.EndsWith(".cu", StringComparison.Ordinal)).ToArray(),
                files.Where(f => f.Name.EndsWith(".cuh", StringComparison.Ordinal)).ToArray());
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded kernel source {resource} is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
