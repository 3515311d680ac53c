namespace SequentialNet.Cuda.Tests;

/// <summary>
/// A file system made of a list of file paths, for the library-discovery tests: folders are the parents
/// of the files, listed with the same (folder, "prefix*") patterns the probe uses.
/// </summary>
internal sealed class FakeFolderTree
{
    private readonly HashSet<string> _files;
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal);

    public FakeFolderTree(params string[] files)
    {
        _files = new HashSet<string>(files, StringComparer.Ordinal);
        foreach (var file in files)
            for (string? folder = Path.GetDirectoryName(file); !string.IsNullOrEmpty(folder) && folder != "/"; folder = Path.GetDirectoryName(folder))
                _folders.Add(folder);
    }

    public bool FileExists(string path) => _files.Contains(path);

    /// <summary>The subfolders of <paramref name="root"/> whose name matches <paramref name="pattern"/> ("name" or "prefix*").</summary>
    public IEnumerable<string> ListDirectories(string root, string pattern)
    {
        bool prefix = pattern.EndsWith('*');
        string stem = prefix ? pattern[..^1] : pattern;
        return _folders.Where(f => Path.GetDirectoryName(f) == root.TrimEnd('/'))
            .Where(f => prefix ? Path.GetFileName(f).StartsWith(stem, StringComparison.Ordinal) : Path.GetFileName(f) == stem)
            .Order(StringComparer.Ordinal).ToList();
    }
}
