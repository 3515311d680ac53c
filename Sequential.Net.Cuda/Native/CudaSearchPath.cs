using System.Globalization;

namespace SequentialNet.Cuda.Native;

/// <summary>
/// The folders the CUDA libraries are looked for in, before the system's default search, in order:
/// <list type="number">
/// <item>each folder of <c>$LD_LIBRARY_PATH</c>, first, as the dynamic loader itself does;</item>
/// <item>the NVIDIA Python wheels (how PyTorch ships CUDA): in each site-packages, <c>nvidia/cu13/lib</c>
/// (CUDA 13 wheels keep every library in one folder), then <c>nvidia/cublas/lib</c> and
/// <c>nvidia/cuda_nvrtc/lib</c> (CUDA 12 and 11 wheels, one folder per library). The site-packages are
/// those of <c>$PYTHONPATH</c>, the active virtual environment (<c>$VIRTUAL_ENV</c>), the active conda
/// environment (<c>$CONDA_PREFIX</c>), the user's (<c>~/.local</c>) and the system's
/// (<c>/usr/local/lib</c>, <c>/usr/lib</c>), python3.X newest first;</item>
/// <item><c>$CONDA_PREFIX/lib</c> (conda's cudatoolkit) and <c>$VIRTUAL_ENV/lib</c>;</item>
/// <item><c>$CUDA_PATH/lib64</c>, <c>/usr/local/cuda-X.Y/lib64</c> newest first, <c>/usr/local/cuda/lib64</c>.</item>
/// </list>
/// Only folders that exist are listed where the list comes from a directory listing (site-packages,
/// /usr/local/cuda*); the folders named by variables are listed as given.
/// </summary>
internal sealed class CudaSearchPath
{
    /// <summary>Subfolders of a site-packages that hold CUDA libraries in NVIDIA's wheels, preferred first.</summary>
    public static IReadOnlyList<string> WheelFolders { get; } = ["nvidia/cu13/lib", "nvidia/cublas/lib", "nvidia/cuda_nvrtc/lib"];

    private readonly Func<string, string?> _environment;
    private readonly Func<string, string, IEnumerable<string>> _listDirectories;

    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="listDirectories">(folder, pattern such as "python3*") → full paths of the matching subfolders that exist.</param>
    public CudaSearchPath(Func<string, string?> environment, Func<string, string, IEnumerable<string>> listDirectories)
    {
        _environment = environment;
        _listDirectories = listDirectories;
    }

    /// <summary>
    /// Every folder in search order, without duplicates or trailing slashes. <paramref name="withWheels"/>
    /// false leaves out the Python wheel folders (the driver library, libcuda, never comes in a wheel).
    /// </summary>
    public IReadOnlyList<string> Folders(bool withWheels = true)
    {
        var folders = new List<string>();
        void Add(string? folder)
        {
            if (string.IsNullOrWhiteSpace(folder)) return;
            folder = folder.Length > 1 ? folder.TrimEnd('/') : folder;
            if (folder.Length > 0 && !folders.Contains(folder, StringComparer.Ordinal)) folders.Add(folder);
        }

        foreach (var folder in PathList("LD_LIBRARY_PATH")) Add(folder);
        if (withWheels)
            foreach (var sitePackages in SitePackages())
                foreach (var wheel in WheelFolders) Add(Path.Combine(sitePackages, wheel));
        if (Variable("CONDA_PREFIX") is { } conda) Add(Path.Combine(conda, "lib"));
        if (Variable("VIRTUAL_ENV") is { } venv) Add(Path.Combine(venv, "lib"));
        if (Variable("CUDA_PATH") is { } cudaPath) Add(Path.Combine(cudaPath, "lib64"));
        foreach (var installation in OrderInstallations(_listDirectories("/usr/local", "cuda*")))
            Add(Path.Combine(installation, "lib64"));
        return folders;
    }

    /// <summary>The site-packages (or Debian's dist-packages) folders that exist, in the order of the class remarks.</summary>
    public IReadOnlyList<string> SitePackages()
    {
        var found = new List<string>();
        void AddExisting(IEnumerable<string> folders)
        {
            foreach (var f in folders)
                if (!found.Contains(f, StringComparer.Ordinal)) found.Add(f);
        }

        // PYTHONPATH entries are site-packages-like roots in their own right (pip install --target).
        AddExisting(PathList("PYTHONPATH").Select(f => f.Length > 1 ? f.TrimEnd('/') : f));
        var prefixes = new List<string>();
        if (Variable("VIRTUAL_ENV") is { } venv) prefixes.Add(venv);
        if (Variable("CONDA_PREFIX") is { } conda) prefixes.Add(conda);
        if (Variable("HOME") is { } home) prefixes.Add(Path.Combine(home, ".local"));
        prefixes.Add("/usr/local");
        prefixes.Add("/usr");
        foreach (var prefix in prefixes)
            foreach (var python in OrderPythons(_listDirectories(Path.Combine(prefix, "lib"), "python3*")))
                foreach (var kind in (string[])["site-packages", "dist-packages"])
                    AddExisting(_listDirectories(python, kind));
        return found;
    }

    private string? Variable(string name) => _environment(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    private IEnumerable<string> PathList(string name) => (_environment(name) ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>python3.X folders newest first (3.12 before 3.9), then the plain python3 (Debian's /usr/lib/python3).</summary>
    internal static IEnumerable<string> OrderPythons(IEnumerable<string> folders)
        => folders.Select(f => (Folder: f, Minor: MinorOf(Path.GetFileName(f.TrimEnd('/')))))
            .OrderByDescending(x => x.Minor).ThenBy(x => x.Folder, StringComparer.Ordinal).Select(x => x.Folder);

    private static int MinorOf(string name)
        => name.StartsWith("python3.", StringComparison.Ordinal) && int.TryParse(name[8..], NumberStyles.None, CultureInfo.InvariantCulture, out int minor) ? minor : -1;

    /// <summary>
    /// /usr/local/cuda-X.Y folders newest first (by version number, so 12.10 is newer than 12.9), then the
    /// unversioned /usr/local/cuda, then any other cuda* folder in name order.
    /// </summary>
    internal static IEnumerable<string> OrderInstallations(IEnumerable<string> folders)
    {
        var list = folders.Select(f => f.TrimEnd('/')).Distinct(StringComparer.Ordinal).ToList();
        var versioned = list.Select(f => (Folder: f, Version: ParseVersion(Path.GetFileName(f))))
            .Where(x => x.Version != null).OrderByDescending(x => x.Version).Select(x => x.Folder);
        var plain = list.Where(f => Path.GetFileName(f) == "cuda");
        var others = list.Where(f => Path.GetFileName(f) != "cuda" && ParseVersion(Path.GetFileName(f)) == null).Order(StringComparer.Ordinal);
        return versioned.Concat(plain).Concat(others);
    }

    private static Version? ParseVersion(string name)
    {
        if (!name.StartsWith("cuda-", StringComparison.Ordinal)) return null;
        var parts = name[5..].Split('.');
        if (parts.Length is 0 or > 3) return null;
        var numbers = new int[3];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return null;
        return new Version(numbers[0], numbers[1], numbers[2]);
    }
}
