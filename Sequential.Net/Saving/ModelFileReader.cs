using System.IO.Compression;
using System.IO.Hashing;
using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>
/// Reads a model file defensively: every entry's size is checked against fixed bounds (JSON) or against
/// its manifest and the file's own size (data) before anything is allocated; every entry's bytes are
/// checked against the zip's CRC-32 and every tensor's against the manifest's, so a flipped byte
/// anywhere that matters is caught. Problems surface as <see cref="FormatProblem"/>; <see cref="Run{T}"/>
/// turns them (and the zip reader's own errors) into a <see cref="ModelFormatException"/> naming the file.
/// </summary>
internal sealed class ModelFileReader : IDisposable
{
    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

    private ModelFileReader(FileStream file)
    {
        _file = file;
        if (file.Length < 22)
            throw new FormatProblem($"expected a zip archive (a file written by Model.Save or SaveWeights). Received: {file.Length} bytes, too few for one (an empty or truncated file).");
        try { _zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e)
        {
            throw new FormatProblem($"expected a zip archive (a file written by Model.Save or SaveWeights). Received: {file.Length} bytes that are not one or are truncated ({e.Message})", e);
        }
        if (_zip.Entries.Count > ModelFileFormat.MaxEntries)
            throw new FormatProblem($"expected at most {ModelFileFormat.MaxEntries} zip entries. Received: {_zip.Entries.Count}.");
        foreach (var entry in _zip.Entries)
            if (!_entries.TryAdd(entry.FullName, entry)) throw new FormatProblem($"expected one entry \"{entry.FullName}\" in the archive. Received: several.");
        Metadata = ReadJson(ModelFileFormat.Metadata, JsonLimits.Metadata);
        Kind = CheckMetadata(Metadata);
        foreach (var listed in Json.Array(Metadata, "entries", ModelFileFormat.Metadata))
            Entry(listed is JValue { Value: string name } ? name : throw new FormatProblem($"{ModelFileFormat.Metadata}: expected \"entries\" to hold entry names. Received: {Json.Describe(listed)}."));
    }

    /// <summary>metadata.json.</summary>
    public JObject Metadata { get; }

    /// <summary>"model" or "weights".</summary>
    public string Kind { get; }

    /// <summary>Opens <paramref name="path"/> and runs <paramref name="read"/>; any problem becomes a <see cref="ModelFormatException"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static T Run<T>(string path, Func<ModelFileReader, T> read)
    {
        PathProblems.RequireReadableFile(path);
        FileStream file;
        try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (Exception e) when (PathProblems.ForRead(path, e) is { } named) { throw named; }
        using var owned = file;
        try
        {
            using var reader = new ModelFileReader(file);
            return read(reader);
        }
        catch (Exception e) when (ModelFormatErrors.Wrap(path, e) is { } wrapped) { throw wrapped; }
    }

    /// <summary>Whether the archive has <paramref name="name"/>.</summary>
    public bool Has(string name) => _entries.ContainsKey(name);

    /// <summary>A JSON entry, size-bounded, CRC-checked and parsed under <paramref name="limits"/>.</summary>
    public JObject ReadJson(string name, JsonLimits limits, StreamedArray? streamed = null)
    {
        var entry = Entry(name);
        if (entry.Length > ModelFileFormat.MaxJsonBytes)
            throw new FormatProblem($"{name}: expected at most {ModelFileFormat.MaxJsonBytes} bytes. Received: an entry of {entry.Length} bytes.");
        if (entry.Length > 4096 + entry.CompressedLength * ModelFileFormat.MaxDeflateRatio || entry.CompressedLength > _file.Length)
            throw new FormatProblem($"{name}: expected an entry that {entry.CompressedLength} stored bytes can hold. Received: a declared size of {entry.Length} bytes (corrupted, or a zip bomb).");
        var bytes = new byte[entry.Length];
        using (var s = entry.Open())
        {
            if (s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
                throw new FormatProblem($"{name}: expected {bytes.Length} bytes. Received: fewer (the entry is truncated or corrupted).");
            RequireEnd(s, name);
        }
        RequireCrc(entry, Crc32.HashToUInt32(bytes));
        return BoundedJsonReader.ParseObject(bytes, limits, name, streamed);
    }

    /// <summary>
    /// Reads a manifest, its tensor list streamed entry by entry, and checks that its data entry holds exactly
    /// the bytes it describes. The data entry is stored uncompressed, so its size (bounded by the file's) is
    /// known first: the list may not be longer than that many floats allow, plus
    /// <see cref="ModelFileFormat.MaxEmptyTensors"/> empty tensors, nor than <see cref="ModelFileFormat.MaxTensors"/>.
    /// </summary>
    public (JObject Head, List<TensorEntry> Tensors) ReadManifest(string manifestName, string dataName)
    {
        var data = Entry(dataName);
        if (data.CompressedLength != data.Length || data.CompressedLength > _file.Length)
            throw new FormatProblem($"{dataName}: expected an entry stored uncompressed, as {manifestName} describes. Received: an entry of {data.Length} bytes ({data.CompressedLength} stored).");
        int maxTensors = (int)Math.Min(ModelFileFormat.MaxTensors, data.Length / 4 + ModelFileFormat.MaxEmptyTensors);
        var list = new TensorManifest.Reader(manifestName);
        var streamed = new StreamedArray("tensors", maxTensors, JsonLimits.TensorEntry, list.Add);
        var head = ReadJson(manifestName, JsonLimits.ManifestHead, streamed);
        var tensors = list.Finish(head, streamed);
        if (data.Length != list.TotalBytes)
            throw new FormatProblem($"{dataName}: expected {list.TotalBytes} bytes, stored uncompressed, as {manifestName} describes. Received: an entry of {data.Length} bytes ({data.CompressedLength} stored).");
        return (head, tensors);
    }

    /// <summary>Reads every tensor of <paramref name="dataName"/> into <paramref name="destination"/>(index), checking each CRC-32.</summary>
    public void ReadTensors(string dataName, IReadOnlyList<TensorEntry> tensors, Func<int, float[]> destination)
    {
        var entry = Entry(dataName);
        var entryCrc = new Crc32();
        var buffer = FloatBytes.NewBuffer();
        using (var s = entry.Open())
        {
            for (int i = 0; i < tensors.Count; i++)
            {
                var t = tensors[i];
                uint crc = FloatBytes.Read(s, destination(i).AsSpan(0, t.Count), entryCrc, buffer, dataName);
                if (crc != t.Crc32)
                    throw new FormatProblem($"{dataName}: tensor \"{t.Name}\" is corrupted: expected CRC-32 {t.Crc32:x8} (from the manifest). Received: data with CRC-32 {crc:x8}.");
            }
            RequireEnd(s, dataName);
        }
        RequireCrc(entry, entryCrc.GetCurrentHashAsUInt32());
    }

    private ZipArchiveEntry Entry(string name)
    {
        if (_entries.TryGetValue(name, out var entry)) return entry;
        string hint = name == ModelFileFormat.Config && Kind == ModelFileFormat.WeightsContents
            ? " This is a weights file (written by SaveWeights): load it into a model of the same architecture with model.LoadWeights(path)."
            : " The file is incomplete or was not written by Sequential.Net.";
        throw new FormatProblem($"expected an entry \"{name}\" in the archive. Received: entries {string.Join(", ", _entries.Keys.Take(16))}.{hint}");
    }

    private static void RequireEnd(Stream s, string name)
    {
        Span<byte> one = stackalloc byte[1];
        if (s.Read(one) != 0) throw new FormatProblem($"{name}: expected the entry to end after its declared size. Received: more data (the entry is corrupted).");
    }

    private static void RequireCrc(ZipArchiveEntry entry, uint actual)
    {
        if (actual != entry.Crc32)
            throw new FormatProblem($"{entry.FullName}: the entry is corrupted: expected CRC-32 {entry.Crc32:x8} (from the zip directory). Received: data with CRC-32 {actual:x8}.");
    }

    private static string CheckMetadata(JObject metadata)
    {
        const string where = ModelFileFormat.Metadata;
        string format = Json.Optional(metadata, "format")?.ToString() ?? "(missing)";
        if (format != ModelFileFormat.FormatName)
            throw new FormatProblem($"{where}: expected \"format\": \"{ModelFileFormat.FormatName}\". Received: \"{format}\". This is not a Sequential.Net model file.");
        int version = Json.Int(metadata, "format_version", where, 1);
        if (version > ModelFileFormat.Version)
            throw new FormatProblem($"{where}: expected format version {ModelFileFormat.Version} or older. Received: format version {version}, written by Sequential.Net {Json.Optional(metadata, "library_version")?.ToString() ?? "(unknown)"}. Upgrade Sequential.Net to read it.");
        string kind = Json.String(metadata, "contents", where);
        if (kind is not (ModelFileFormat.ModelContents or ModelFileFormat.WeightsContents))
            throw new FormatProblem($"{where}: expected \"contents\": \"model\" or \"weights\". Received: \"{kind}\".");
        return kind;
    }

    public void Dispose() => _zip.Dispose();
}
