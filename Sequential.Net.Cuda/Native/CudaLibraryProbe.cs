using System.Globalization;
using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Native;

/// <summary>
/// Where the CUDA libraries are looked for, and in which order. The file system, the environment and
/// dlopen are injected so that tests can check the order and the messages on any machine.
/// <para>
/// File names: libcuda.so.1, libcuda.so; libcublas.so.13, .12, .11, libcublas.so; libnvrtc.so.13, .12,
/// .11.2 (every CUDA 11.x NVRTC has the soname libnvrtc.so.11.2), libnvrtc.so. Newest first, because a
/// newer toolkit's library needs a driver at least as new and the driver is what decides.
/// </para>
/// <para>
/// Folders, in order: <c>$CUDA_PATH/lib64</c>; <c>/usr/local/cuda-X.Y/lib64</c>, newest version first,
/// then <c>/usr/local/cuda/lib64</c> (the symlink to the default toolkit); each folder of
/// <c>$LD_LIBRARY_PATH</c>; then the bare names, which dlopen resolves through the system's default
/// search (ld.so.cache, /usr/lib/x86_64-linux-gnu …, where Debian's and the driver's packages put them).
/// Within a folder every name is tried before the next folder.
/// </para>
/// </summary>
internal sealed class CudaLibraryProbe
{
    private readonly Func<string, string?> _environment;
    private readonly Func<string, IEnumerable<string>> _cudaInstallations;
    private readonly Func<string, bool> _fileExists;
    private readonly Func<string, (nint Handle, string? Error)> _load;

    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="cudaInstallations">Lists the folders of /usr/local whose name starts with "cuda" (full paths).</param>
    /// <param name="fileExists">Whether a file exists.</param>
    /// <param name="load">dlopen: a handle, or zero and the loader's error.</param>
    public CudaLibraryProbe(Func<string, string?> environment, Func<string, IEnumerable<string>> cudaInstallations,
        Func<string, bool> fileExists, Func<string, (nint Handle, string? Error)> load)
    {
        _environment = environment;
        _cudaInstallations = cudaInstallations;
        _fileExists = fileExists;
        _load = load;
    }

    /// <summary>The probe over this machine's environment, file system and dynamic loader.</summary>
    public static CudaLibraryProbe System { get; } = new(
        Environment.GetEnvironmentVariable,
        root => Directory.Exists(root) ? Directory.EnumerateDirectories(root, "cuda*") : [],
        File.Exists,
        LoadNative);

    /// <summary>The file names tried for <paramref name="library"/>, preferred first.</summary>
    public static IReadOnlyList<string> FileNames(CudaLibrary library) => library switch
    {
        CudaLibrary.Driver => ["libcuda.so.1", "libcuda.so"],
        CudaLibrary.Cublas => ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"],
        CudaLibrary.Nvrtc => ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"],
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, null),
    };

    /// <summary>The folders searched before the system default, in order, without duplicates.</summary>
    public IReadOnlyList<string> Directories()
    {
        var folders = new List<string>();
        void Add(string? folder)
        {
            if (string.IsNullOrWhiteSpace(folder)) return;
            folder = folder.TrimEnd('/');
            if (folder.Length > 0 && !folders.Contains(folder, StringComparer.Ordinal)) folders.Add(folder);
        }

        string? cudaPath = _environment("CUDA_PATH");
        if (!string.IsNullOrWhiteSpace(cudaPath)) Add(Path.Combine(cudaPath, "lib64"));
        foreach (var installation in OrderInstallations(_cudaInstallations("/usr/local")))
            Add(Path.Combine(installation, "lib64"));
        foreach (var folder in (_environment("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            Add(folder);
        return folders;
    }

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

    /// <summary>
    /// Every candidate in the order tried: the full paths (folder by folder) and then the bare names
    /// (the system default search).
    /// </summary>
    public IReadOnlyList<string> Candidates(CudaLibrary library)
    {
        var names = FileNames(library);
        var candidates = new List<string>();
        foreach (var folder in Directories())
            foreach (var name in names)
                candidates.Add(Path.Combine(folder, name));
        candidates.AddRange(names);
        return candidates;
    }

    /// <summary>
    /// Loads the first candidate that loads. Returns the handle and the path it came from; on failure
    /// zero, and <paramref name="error"/> says what was tried, what failed and what to install.
    /// </summary>
    public nint Load(CudaLibrary library, out string? loadedFrom, out string error)
    {
        var failures = new List<string>();
        foreach (var candidate in Candidates(library))
        {
            bool isPath = candidate.Contains('/');
            if (isPath && !_fileExists(candidate)) continue;   // absent: nothing to report
            var (handle, loadError) = _load(candidate);
            if (handle != 0)
            {
                loadedFrom = candidate;
                error = "";
                return handle;
            }
            // A file that exists but does not load (wrong architecture, missing dependency) is worth naming;
            // a bare name that the system search does not find is the normal "not installed" case.
            if (isPath && loadError != null) failures.Add($"{candidate}: {loadError}");
        }
        loadedFrom = null;
        error = MissingMessage(library, failures);
        return 0;
    }

    private string MissingMessage(CudaLibrary library, List<string> failures)
    {
        string what = library switch
        {
            CudaLibrary.Driver => "The NVIDIA driver library (libcuda.so.1) was not found",
            CudaLibrary.Cublas => "cuBLAS (libcublas.so.13, .12 or .11) was not found",
            _ => "NVRTC, the CUDA runtime compiler (libnvrtc.so.13, .12 or .11.2), was not found",
        };
        string hint = library switch
        {
            CudaLibrary.Driver => "This machine has no NVIDIA driver (or no NVIDIA GPU): install the driver to use a GPU.",
            CudaLibrary.Cublas => "Install the CUDA toolkit's cuBLAS (CUDA 11, 12 or 13), or point CUDA_PATH or LD_LIBRARY_PATH at the folder that holds it.",
            _ => "Install the CUDA toolkit's NVRTC (on Debian: apt-get install libnvrtc11.2 from non-free), or point CUDA_PATH or LD_LIBRARY_PATH at the folder that holds it.",
        };
        var folders = Directories();
        string searched = folders.Count == 0 ? "the system library path" : string.Join(", ", folders) + " and the system library path";
        string tried = $"tried {string.Join(", ", FileNames(library))} in {searched}";
        string failed = failures.Count == 0 ? "" : "; found but could not load: " + string.Join("; ", failures);
        return $"{what} ({tried}{failed}). {hint}";
    }

    private static (nint, string?) LoadNative(string candidate)
    {
        if (!candidate.Contains('/'))
            return NativeLibrary.TryLoad(candidate, out nint bare) ? (bare, null) : (0, null);
        PreloadCompanions(candidate);
        try
        {
            return (NativeLibrary.Load(candidate), null);
        }
        catch (DllNotFoundException e)
        {
            return (0, e.Message);
        }
        catch (BadImageFormatException e)
        {
            return (0, e.Message);
        }
    }

    /// <summary>
    /// Loads, best effort, the libraries a CUDA library found in a folder needs from that same folder:
    /// libcublasLt beside libcublas (a dependency), libnvrtc-builtins beside libnvrtc (which NVRTC dlopens
    /// by name). Once loaded, the dynamic linker resolves them by soname, so a folder that is on no search
    /// path (CUDA_PATH, a toolkit not in ld.so.conf, PyTorch's pip wheels) still works.
    /// </summary>
    private static void PreloadCompanions(string path)
    {
        string? folder = Path.GetDirectoryName(path);
        string name = Path.GetFileName(path);
        if (folder == null || !Directory.Exists(folder)) return;
        IEnumerable<string> companions = name.StartsWith("libcublas.so", StringComparison.Ordinal)
            ? [Path.Combine(folder, "libcublasLt" + name["libcublas".Length..])]
            : name.StartsWith("libnvrtc.so", StringComparison.Ordinal)
                ? Directory.EnumerateFiles(folder, "libnvrtc-builtins.so.*").Order(StringComparer.Ordinal)
                : [];
        foreach (var companion in companions)
            if (File.Exists(companion)) NativeLibrary.TryLoad(companion, out _);
    }
}
