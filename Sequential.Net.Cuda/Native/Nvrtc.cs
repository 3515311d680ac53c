using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Native;

/// <summary>
/// NVRTC, the runtime CUDA C++ compiler (libnvrtc.so.13/.12/.11.2, nvrtc.h), just what the kernel compiler
/// uses; C names 1:1 with the exports. nvrtcProgram → nint; strings are NUL-terminated UTF-8 (byte*).
/// nvrtcGetCUBIN exists since CUDA 11.1 and nvrtcGetSupportedArchs since 11.2, so every NVRTC we accept has both.
/// </summary>
internal static unsafe partial class Nvrtc
{
    private const string Lib = CudaLibraryResolver.NvrtcName;

    static Nvrtc() => CudaLibraryResolver.EnsureRegistered();

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcVersion(int* major, int* minor);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcGetNumSupportedArchs(int* numArchs);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcGetSupportedArchs(int* supportedArchs);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcCreateProgram(nint* prog, byte* src, byte* name, int numHeaders, byte** headers, byte** includeNames);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcCompileProgram(nint prog, int numOptions, byte** options);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcGetProgramLogSize(nint prog, nuint* logSizeRet);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcGetProgramLog(nint prog, byte* log);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcGetCUBINSize(nint prog, nuint* cubinSizeRet);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcGetCUBIN(nint prog, byte* cubin);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nvrtcResult nvrtcDestroyProgram(nint* prog);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* nvrtcGetErrorString(nvrtcResult result);

    /// <summary>Throws <see cref="CudaException"/> naming the call and NVRTC's error string unless it succeeded.</summary>
    public static void ThrowIfFailed(nvrtcResult status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status == nvrtcResult.NVRTC_SUCCESS) return;
        string name = Enum.IsDefined(status) ? status.ToString() : "nvrtcResult " + (int)status;
        byte* text = nvrtcGetErrorString(status);
        string description = text == null ? "" : Marshal.PtrToStringUTF8((nint)text) ?? "";
        throw new CudaException("NVRTC", CudaException.FunctionName(call), (int)status, name, description, call);
    }
}

/// <summary>nvrtcResult.</summary>
internal enum nvrtcResult
{
    /// <summary>Success.</summary>
    NVRTC_SUCCESS = 0,
    /// <summary>Out of memory.</summary>
    NVRTC_ERROR_OUT_OF_MEMORY = 1,
    /// <summary>Program creation failed.</summary>
    NVRTC_ERROR_PROGRAM_CREATION_FAILURE = 2,
    /// <summary>Invalid input.</summary>
    NVRTC_ERROR_INVALID_INPUT = 3,
    /// <summary>Invalid program.</summary>
    NVRTC_ERROR_INVALID_PROGRAM = 4,
    /// <summary>Invalid option.</summary>
    NVRTC_ERROR_INVALID_OPTION = 5,
    /// <summary>Compilation failed (the program log says why).</summary>
    NVRTC_ERROR_COMPILATION = 6,
    /// <summary>Builtin operation failed.</summary>
    NVRTC_ERROR_BUILTIN_OPERATION_FAILURE = 7,
    /// <summary>Internal error.</summary>
    NVRTC_ERROR_INTERNAL_ERROR = 11,
}
