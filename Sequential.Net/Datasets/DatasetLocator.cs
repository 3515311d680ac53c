namespace SequentialNet.Datasets;

/// <summary>
/// Knows the places a dataset's four IDX files may be, in search order, and which file names count:
/// <c>&lt;base&gt;</c> or <c>&lt;base&gt;.gz</c> (e.g. <c>train-images-idx3-ubyte.gz</c>, as Debian installs them),
/// and the <c>train-images.idx3-ubyte</c> spelling that some mirrors use.
/// </summary>
internal sealed class DatasetLocator
{
    /// <summary>How the user cache is described in <see cref="Places"/>.</summary>
    public const string CacheSource = "user cache";

    private readonly IdxDatasetSpec _spec;
    private readonly string _cacheRoot;
    private readonly IReadOnlyList<(string Folder, string Source)> _systemFolders;
    private readonly Func<string, string?> _getEnvironmentVariable;

    /// <summary>Creates a locator for <paramref name="spec"/>.</summary>
    public DatasetLocator(IdxDatasetSpec spec, string cacheRoot,
        IReadOnlyList<(string Folder, string Source)> systemFolders, Func<string, string?> getEnvironmentVariable)
    {
        _spec = spec;
        _cacheRoot = cacheRoot;
        _systemFolders = systemFolders;
        _getEnvironmentVariable = getEnvironmentVariable;
    }

    /// <summary>The cache folder of this dataset, where downloads go.</summary>
    public string CacheFolder => Path.Combine(_cacheRoot, _spec.Name);

    /// <summary>The value of <c>$SEQUENTIAL_NET_DATA</c>, or null when it is unset or empty.</summary>
    public string? DataVariable => NullIfEmpty(_getEnvironmentVariable(DatasetEnvironment.DataVariable));

    /// <summary>
    /// The places searched, in order: <paramref name="directory"/>; <c>$SEQUENTIAL_NET_DATA/&lt;name&gt;</c>, then
    /// <c>$SEQUENTIAL_NET_DATA</c> itself; the user cache; the system folders.
    /// </summary>
    public IReadOnlyList<(string Folder, string Source)> Places(string? directory)
    {
        var places = new List<(string Folder, string Source)>();
        if (!string.IsNullOrEmpty(directory)) places.Add((Path.GetFullPath(directory), "directory argument"));
        if (DataVariable is { } data)
        {
            places.Add((Path.GetFullPath(Path.Combine(data, _spec.Name)), $"${DatasetEnvironment.DataVariable}/{_spec.Name}"));
            places.Add((Path.GetFullPath(data), $"${DatasetEnvironment.DataVariable}"));
        }
        places.Add((CacheFolder, CacheSource));
        places.AddRange(_systemFolders);
        return places;
    }

    /// <summary>The first place that holds all four files, or null when none does.</summary>
    public string? Find(string? directory) =>
        Places(directory).Select(p => p.Folder).FirstOrDefault(HasAllFiles);

    /// <summary>Whether <paramref name="folder"/> holds all four files, each raw or gzip-compressed.</summary>
    public static bool HasAllFiles(string folder) =>
        Directory.Exists(folder) && IdxDatasetSpec.FileNames.All(name => ResolveFile(folder, name) is not null);

    /// <summary>The path of file <paramref name="baseName"/> in <paramref name="folder"/>, or null when absent.</summary>
    public static string? ResolveFile(string folder, string baseName) =>
        CandidateNames(baseName).Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    private static IEnumerable<string> CandidateNames(string baseName)
    {
        string dotted = baseName.Replace("-idx", ".idx", StringComparison.Ordinal);
        return [baseName, baseName + ".gz", dotted, dotted + ".gz"];
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
