using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The emulated kernel library, libsnet_emu.so: kernels/*.cu (and the test-only Emulated/*.cu) compiled for
/// the host by g++ under kernels/cuda_emu.h, built by Emulated/EmulatedKernels.targets next to the test
/// assembly. Its C entry points find a kernel by name, report its parameter sizes and run a launch to
/// completion (blocks one after another, the threads of a block as fibers).
/// </summary>
internal static unsafe class EmulatedLibrary
{
    public const string FileName = "libsnet_emu.so";

    /// <summary>emu_launch_id's result codes.</summary>
    public const int Ok = 0, UnknownKernel = 1, InvalidConfiguration = 2, KernelFailed = 3;

    private static readonly object s_gate = new();
    private static readonly ConcurrentDictionary<string, int> s_ids = new(StringComparer.Ordinal);
    private static bool s_loaded;
    private static string? s_unavailable;
    private static delegate* unmanaged<byte*, int> s_find;
    private static delegate* unmanaged<int> s_count;
    private static delegate* unmanaged<int, byte*> s_name;
    private static delegate* unmanaged<int, int*, int, int> s_params;
    private static delegate* unmanaged<int, uint, uint, uint, uint, uint, uint, int, void**, int> s_launch;
    private static delegate* unmanaged<byte*> s_lastError;
    private static delegate* unmanaged<ulong*, void> s_stats;

    /// <summary>Why the library cannot be used (null when it can): not Linux, or not built.</summary>
    public static string? UnavailableReason
    {
        get
        {
            Load();
            return s_unavailable;
        }
    }

    /// <summary>The library's id of <paramref name="kernel"/>, or -1 when it has none.</summary>
    public static int FindKernel(string kernel)
    {
        if (s_ids.TryGetValue(kernel, out int id)) return id;
        EnsureLoaded();
        byte[] utf8 = Encoding.UTF8.GetBytes(kernel + "\0");
        fixed (byte* p = utf8) id = s_find(p);
        if (id >= 0) s_ids[kernel] = id;
        return id;
    }

    /// <summary>Every kernel the library holds.</summary>
    public static IReadOnlyList<string> KernelNames()
    {
        EnsureLoaded();
        int count = s_count();
        var names = new string[count];
        for (int i = 0; i < count; i++) names[i] = Marshal.PtrToStringUTF8((nint)s_name(i))!;
        return names;
    }

    /// <summary>The byte size of each parameter of kernel <paramref name="id"/>, in order.</summary>
    public static int[] ParameterSizes(int id)
    {
        EnsureLoaded();
        int count = s_params(id, null, 0);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(id), $"No emulated kernel has id {id}.");
        var sizes = new int[count];
        fixed (int* p = sizes) s_params(id, p, count);
        return sizes;
    }

    /// <summary>Runs a launch to completion and returns <see cref="Ok"/> or an error code (<see cref="LastError"/> says why).</summary>
    public static int Launch(int id, Dim3 grid, Dim3 block, int sharedBytes, void** parameters)
    {
        EnsureLoaded();
        return s_launch(id, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, sharedBytes, parameters);
    }

    /// <summary>The message of the last failed launch on this thread.</summary>
    public static string LastError()
    {
        EnsureLoaded();
        return Marshal.PtrToStringUTF8((nint)s_lastError()) ?? "";
    }

    /// <summary>Counters since the library was loaded.</summary>
    public static (ulong Launches, ulong Blocks, ulong Threads, ulong Switches) Stats()
    {
        EnsureLoaded();
        ulong* s = stackalloc ulong[4];
        s_stats(s);
        return (s[0], s[1], s[2], s[3]);
    }

    private static void EnsureLoaded()
    {
        Load();
        if (s_unavailable != null) throw new InvalidOperationException(s_unavailable);
    }

    private static void Load()
    {
        if (Volatile.Read(ref s_loaded)) return;
        lock (s_gate)
        {
            if (s_loaded) return;
            s_unavailable = TryLoad();
            Volatile.Write(ref s_loaded, true);
        }
    }

    private static string? TryLoad()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
            return $"The emulated device needs Linux on x64 or arm64 (it runs kernels as fibers in {FileName}); this is {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}.";
        string path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
            return $"{path} was not built: the test project builds it with g++ (Emulated/EmulatedKernels.targets) unless SnetEmuEnabled=false.";
        if (!NativeLibrary.TryLoad(path, out nint handle)) return $"{path} could not be loaded.";
        s_find = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(handle, "emu_find_kernel");
        s_count = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "emu_kernel_count");
        s_name = (delegate* unmanaged<int, byte*>)NativeLibrary.GetExport(handle, "emu_kernel_name");
        s_params = (delegate* unmanaged<int, int*, int, int>)NativeLibrary.GetExport(handle, "emu_kernel_params");
        s_launch = (delegate* unmanaged<int, uint, uint, uint, uint, uint, uint, int, void**, int>)NativeLibrary.GetExport(handle, "emu_launch_id");
        s_lastError = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(handle, "emu_last_error");
        s_stats = (delegate* unmanaged<ulong*, void>)NativeLibrary.GetExport(handle, "emu_stats");
        return null;
    }
}
