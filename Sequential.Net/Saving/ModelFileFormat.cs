using System.Reflection;

namespace SequentialNet.Saving;

/// <summary>
/// The constants of the model file format (docs/model-format.md): entry names, the format version and
/// the bounds a reader enforces before it allocates anything.
/// </summary>
internal static class ModelFileFormat
{
    /// <summary>metadata.json "format": identifies a Sequential.Net file.</summary>
    public const string FormatName = "sequential-net";
    /// <summary>The version this library writes and the newest it reads. Bump only for changes older readers would misread.</summary>
    public const int Version = 1;

    public const string Metadata = "metadata.json";
    public const string Config = "config.json";
    public const string WeightsManifest = "weights.json";
    public const string WeightsData = "weights.bin";
    public const string OptimizerManifest = "optimizer.json";
    public const string OptimizerData = "optimizer.bin";

    /// <summary>metadata.json "contents" of a whole model (Model.Save) and of weights alone (SaveWeights).</summary>
    public const string ModelContents = "model";
    public const string WeightsContents = "weights";

    /// <summary>Largest JSON entry read (uncompressed). A config of 65,536 plain Dense layers takes about 21 MB (compact, as Save writes JSON that long).</summary>
    public const long MaxJsonBytes = 64L << 20;
    /// <summary>Deflate expands at most about 1032:1; a JSON entry declaring more than this over its stored size is rejected unread.</summary>
    public const long MaxDeflateRatio = 1100;
    /// <summary>
    /// Most tensors in one manifest: 65,536 layers of four weights each (BatchNormalization), twice over for
    /// two optimizer slots (Adam), with room to spare.
    /// </summary>
    public const int MaxTensors = 1 << 20;
    /// <summary>Most tensors of zero elements in one manifest (beyond those its data's size accounts for).</summary>
    public const int MaxEmptyTensors = 1 << 12;
    /// <summary>Most entries in one archive (a file has six; the rest is room for additions).</summary>
    public const int MaxEntries = 4096;
    /// <summary>Most layers in one model config.</summary>
    public const int MaxLayers = 1 << 16;

    /// <summary>The library's version, e.g. "0.1.0" (without the commit suffix).</summary>
    public static string LibraryVersion { get; } = ReadLibraryVersion();

    private static string ReadLibraryVersion()
    {
        var assembly = typeof(ModelFileFormat).Assembly;
        string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString();
        return version == null ? "unknown" : version.Split('+')[0];
    }
}
