using System.Globalization;
using System.IO.Compression;
using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>
/// Writes a model file (docs/model-format.md): a zip archive with metadata.json, config.json,
/// weights.json + weights.bin and optimizer.json + optimizer.bin. JSON entries are deflated; data
/// entries are stored uncompressed, so their size is known and bounded by the file's before a reader
/// allocates anything. The file is replaced atomically (<see cref="AtomicFile"/>).
/// </summary>
internal static class ModelFileWriter
{
    public static void Write(string path, ModelFileContents contents)
        => AtomicFile.Write(path, stream => WriteArchive(stream, contents));

    /// <summary>Writes the archive to <paramref name="stream"/> (left open).</summary>
    public static void WriteArchive(Stream stream, ModelFileContents contents)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        AddJson(zip, ModelFileFormat.Metadata, Metadata(contents));
        if (contents.Config != null) AddJson(zip, ModelFileFormat.Config, contents.Config);
        AddJson(zip, ModelFileFormat.WeightsManifest, TensorManifest.Describe(contents.Weights));
        AddData(zip, ModelFileFormat.WeightsData, contents.Weights);
        if (contents.Optimizer is { } state)
        {
            var manifest = new JObject
            {
                ["class_name"] = state.ClassName,
                ["iterations"] = state.Iterations,
                ["seed"] = state.Seed.ToString(CultureInfo.InvariantCulture),
                ["slots"] = new JArray(state.SlotNames),
            };
            // Float state kept in the device hyper-parameters (Nadam's u_product); the JSON number round-trips the float.
            if (state.Scalars is { Count: > 0 } scalars)
                manifest["device_scalars"] = new JObject(scalars.Select(p => new JProperty(p.Key, (double)p.Value)));
            AddJson(zip, ModelFileFormat.OptimizerManifest, TensorManifest.Describe(state.Slots, manifest));
            AddData(zip, ModelFileFormat.OptimizerData, state.Slots);
        }
    }

    private static JObject Metadata(ModelFileContents contents) => new()
    {
        ["format"] = ModelFileFormat.FormatName,
        ["format_version"] = ModelFileFormat.Version,
        ["contents"] = contents.Kind,
        ["entries"] = new JArray(Entries(contents)),
        ["library"] = "Sequential.Net",
        ["library_version"] = ModelFileFormat.LibraryVersion,
        ["date_saved"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>The entries written besides metadata.json: a reader requires each one, so a lost entry is never mistaken for an absent one.</summary>
    private static IEnumerable<string> Entries(ModelFileContents contents)
    {
        if (contents.Config != null) yield return ModelFileFormat.Config;
        yield return ModelFileFormat.WeightsManifest;
        yield return ModelFileFormat.WeightsData;
        if (contents.Optimizer == null) yield break;
        yield return ModelFileFormat.OptimizerManifest;
        yield return ModelFileFormat.OptimizerData;
    }

    private static void AddJson(ZipArchive zip, string name, JObject value)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var s = entry.Open();
        s.Write(Json.ToUtf8(value));
    }

    private static void AddData(ZipArchive zip, string name, IReadOnlyList<NamedTensor> tensors)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var s = entry.Open();
        foreach (var t in tensors) FloatBytes.Write(s, t.Data);
    }
}
