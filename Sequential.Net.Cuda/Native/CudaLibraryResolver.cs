using System.Reflection;
using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Native;

/// <summary>
/// The one <see cref="NativeLibrary.SetDllImportResolver"/> of this assembly: maps the library names of
/// the [LibraryImport] declarations ("cuda", "cublas", "nvrtc") onto the files
/// <see cref="CudaLibraryProbe"/> finds. Each library is probed once; the handle (or the reason it is
/// missing) is cached for the life of the process.
/// <para>
/// Callers that want a clear error rather than a <see cref="DllNotFoundException"/> from the first
/// P/Invoke call <see cref="Load"/> first: it throws <see cref="InvalidOperationException"/> saying
/// what is missing, where it was looked for and what to install.
/// </para>
/// </summary>
internal static class CudaLibraryResolver
{
    /// <summary>Library name of the driver API bindings.</summary>
    public const string DriverName = "cuda";

    /// <summary>Library name of the cuBLAS bindings.</summary>
    public const string CublasName = "cublas";

    /// <summary>Library name of the NVRTC bindings.</summary>
    public const string NvrtcName = "nvrtc";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<CudaLibrary, (nint Handle, string? Path, string Error)> Results = [];
    private static bool _registered;

    /// <summary>Installs the resolver (idempotent; the binding classes call it from their static constructors).</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered) return;
            NativeLibrary.SetDllImportResolver(typeof(CudaLibraryResolver).Assembly, Resolve);
            _registered = true;
        }
    }

    /// <summary>The handle of <paramref name="library"/>, loading it on first use.</summary>
    /// <exception cref="InvalidOperationException">The library is not installed or does not load (the message says which and what to do).</exception>
    public static nint Load(CudaLibrary library)
        => TryLoad(library, out nint handle, out string error) ? handle : throw new InvalidOperationException(error);

    /// <summary>Loads <paramref name="library"/> if it can be found; else false and the reason.</summary>
    public static bool TryLoad(CudaLibrary library, out nint handle, out string error)
    {
        EnsureRegistered();
        // cuBLAS and NVRTC are chosen for the driver's CUDA version; asked before taking the gate, as it loads the driver.
        int? driverMajor = library == CudaLibrary.Driver ? null : DriverMajorVersion();
        lock (Gate)
        {
            if (!Results.TryGetValue(library, out var result))
            {
                handle = CudaLibraryProbe.System.Load(library, out string? path, out string why, driverMajor);
                Results[library] = result = (handle, path, why);
            }
            handle = result.Handle;
            error = result.Error;
            return handle != 0;
        }
    }

    /// <summary>The file <paramref name="library"/> was loaded from, or null when it is not loaded.</summary>
    public static string? LoadedFrom(CudaLibrary library)
    {
        lock (Gate) return Results.TryGetValue(library, out var r) && r.Handle != 0 ? r.Path : null;
    }

    /// <summary>The address of an optional export (e.g. cublasGetStatusString, absent before cuBLAS 11.4), or zero.</summary>
    public static nint OptionalExport(CudaLibrary library, string name)
        => TryLoad(library, out nint handle, out _) && NativeLibrary.TryGetExport(handle, name, out nint address) ? address : 0;

    /// <summary>
    /// The CUDA major version the installed driver supports (cuDriverGetVersion / 1000, e.g. 12 for 12040),
    /// or null when the driver does not load (then every library version is tried).
    /// </summary>
    public static unsafe int? DriverMajorVersion()
    {
        if (!TryLoad(CudaLibrary.Driver, out nint driver, out _) || !NativeLibrary.TryGetExport(driver, "cuDriverGetVersion", out nint export))
            return null;
        int version = 0;
        // Called through the export, not the [LibraryImport] binding, so no resolver callback runs here.
        int status = ((delegate* unmanaged<int*, int>)export)(&version);
        return status == 0 && version > 0 ? version / 1000 : null;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        CudaLibrary? library = libraryName switch
        {
            DriverName => CudaLibrary.Driver,
            CublasName => CudaLibrary.Cublas,
            NvrtcName => CudaLibrary.Nvrtc,
            _ => null,
        };
        // Zero lets the runtime fall back to its default probing, which then throws DllNotFoundException.
        return library is { } l && TryLoad(l, out nint handle, out _) ? handle : 0;
    }
}
