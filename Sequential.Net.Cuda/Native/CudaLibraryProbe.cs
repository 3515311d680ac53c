using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Native;

/// <summary>
/// Where the CUDA libraries are looked for, and in which order. The file system, the environment and
/// dlopen are injected so that tests can check the order and the messages on fake folder trees.
/// <para>
/// File names: libcuda.so.1, libcuda.so; libcublas.so.13, .12, .11, libcublas.so; libnvrtc.so.13, .12,
/// .11.2 (every CUDA 11.x NVRTC has the soname libnvrtc.so.11.2), libnvrtc.so. Given the driver's CUDA
/// version (cuDriverGetVersion), a library of a newer major is not tried: it would load and then fail at
/// its first call (CUDA_ERROR_INSUFFICIENT_DRIVER), so the newest major the driver supports wins.
/// </para>
/// <para>
/// Folders, in order (<see cref="CudaSearchPath"/>): <c>$LD_LIBRARY_PATH</c> (as the dynamic loader
/// does), the NVIDIA Python wheels of every site-packages found, <c>$CONDA_PREFIX/lib</c>,
/// <c>$VIRTUAL_ENV/lib</c>, <c>$CUDA_PATH/lib64</c>, <c>/usr/local/cuda-X.Y/lib64</c> newest first,
/// <c>/usr/local/cuda/lib64</c>; then the bare names, which dlopen resolves through the system's default
/// search (ld.so.cache, /usr/lib/x86_64-linux-gnu …). Within a folder every name is tried before the next folder.
/// </para>
/// </summary>
internal sealed class CudaLibraryProbe
{
    private readonly CudaSearchPath _searchPath;
    private readonly Func<string, bool> _fileExists;
    private readonly Func<string, (nint Handle, string? Error)> _load;

    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="listDirectories">(folder, pattern such as "cuda*") → the full paths of the matching subfolders that exist.</param>
    /// <param name="fileExists">Whether a file exists.</param>
    /// <param name="load">dlopen: a handle, or zero and the loader's error.</param>
    public CudaLibraryProbe(Func<string, string?> environment, Func<string, string, IEnumerable<string>> listDirectories,
        Func<string, bool> fileExists, Func<string, (nint Handle, string? Error)> load)
    {
        _searchPath = new CudaSearchPath(environment, listDirectories);
        _fileExists = fileExists;
        _load = load;
    }

    /// <summary>The probe over this machine's environment, file system and dynamic loader.</summary>
    public static CudaLibraryProbe System { get; } = new(
        Environment.GetEnvironmentVariable,
        (root, pattern) => Directory.Exists(root) ? Directory.EnumerateDirectories(root, pattern) : [],
        File.Exists,
        LoadNative);

    /// <summary>The file names tried for <paramref name="library"/>, preferred first (every major version).</summary>
    public static IReadOnlyList<string> FileNames(CudaLibrary library) => library switch
    {
        CudaLibrary.Driver => ["libcuda.so.1", "libcuda.so"],
        CudaLibrary.Cublas => ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"],
        CudaLibrary.Nvrtc => ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"],
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, null),
    };

    /// <summary>
    /// The file names tried for <paramref name="library"/> with a driver of CUDA major version
    /// <paramref name="driverMajor"/> (null: unknown, every name): the versioned names of a newer major are left out.
    /// </summary>
    public static IReadOnlyList<string> FileNames(CudaLibrary library, int? driverMajor)
        => FileNames(library).Where(name => driverMajor is not int major || (MajorOf(name) ?? 0) <= major).ToArray();

    /// <summary>The names <see cref="FileNames(CudaLibrary, int?)"/> leaves out for <paramref name="driverMajor"/>.</summary>
    public static IReadOnlyList<string> TooNew(CudaLibrary library, int? driverMajor)
        => FileNames(library).Except(FileNames(library, driverMajor)).ToArray();

    /// <summary>The CUDA major version of a versioned soname ("libcublas.so.12" → 12), or null.</summary>
    internal static int? MajorOf(string fileName)
    {
        int at = fileName.IndexOf(".so.", StringComparison.Ordinal);
        if (at < 0) return null;
        string rest = fileName[(at + 4)..];
        int dot = rest.IndexOf('.');
        return int.TryParse(dot < 0 ? rest : rest[..dot], out int major) ? major : null;
    }

    /// <summary>The folders searched before the system default, in order, without duplicates.</summary>
    public IReadOnlyList<string> Directories() => _searchPath.Folders();

    /// <summary>The folders searched for <paramref name="library"/>: all of <see cref="Directories()"/>, less the Python wheels for the driver.</summary>
    public IReadOnlyList<string> Directories(CudaLibrary library) => _searchPath.Folders(withWheels: library != CudaLibrary.Driver);

    /// <summary>/usr/local/cuda-X.Y folders newest first, then /usr/local/cuda, then any other cuda* folder (see <see cref="CudaSearchPath"/>).</summary>
    internal static IEnumerable<string> OrderInstallations(IEnumerable<string> folders) => CudaSearchPath.OrderInstallations(folders);

    /// <summary>
    /// Every candidate in the order tried: the full paths (folder by folder) and then the bare names
    /// (the system default search).
    /// </summary>
    public IReadOnlyList<string> Candidates(CudaLibrary library, int? driverMajor = null)
    {
        var names = FileNames(library, driverMajor);
        var candidates = new List<string>();
        foreach (var folder in Directories(library))
            foreach (var name in names)
                candidates.Add(Path.Combine(folder, name));
        candidates.AddRange(names);
        return candidates;
    }

    /// <summary>
    /// Loads the first candidate that loads. Returns the handle and the path it came from; on failure
    /// zero, and <paramref name="error"/> says what was tried (every folder), what failed and what to install.
    /// </summary>
    /// <param name="library">The library to load.</param>
    /// <param name="loadedFrom">The candidate it was loaded from (a path, or a bare name the system search resolved).</param>
    /// <param name="error">Empty on success; else the message for the user.</param>
    /// <param name="driverMajor">The driver's CUDA major version (cuDriverGetVersion / 1000), or null when unknown.</param>
    public nint Load(CudaLibrary library, out string? loadedFrom, out string error, int? driverMajor = null)
    {
        var failures = new List<string>();
        foreach (var candidate in Candidates(library, driverMajor))
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
        error = MissingMessage(library, failures, driverMajor);
        return 0;
    }

    private string MissingMessage(CudaLibrary library, List<string> failures, int? driverMajor)
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
            CudaLibrary.Cublas => "Install the CUDA toolkit's cuBLAS (CUDA 11, 12 or 13; pip install nvidia-cublas-cu12 also works), or point LD_LIBRARY_PATH at the folder that holds it.",
            _ => "Install the CUDA toolkit's NVRTC (on Debian: apt-get install libnvrtc11.2 from non-free; pip install nvidia-cuda-nvrtc-cu12 also works), or point LD_LIBRARY_PATH at the folder that holds it.",
        };
        var folders = Directories(library);
        string searched = folders.Count == 0 ? "the system library path" : string.Join(", ", folders) + " and the system library path";
        string tried = $"tried {string.Join(", ", FileNames(library, driverMajor))} in {searched}";
        var tooNew = TooNew(library, driverMajor);
        string skipped = tooNew.Count == 0 ? "" : $"; not tried: {string.Join(", ", tooNew)}, newer than the driver's CUDA {driverMajor}";
        string failed = failures.Count == 0 ? "" : "; found but could not load: " + string.Join("; ", failures);
        return $"{what} ({tried}{skipped}{failed}). {hint}";
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
