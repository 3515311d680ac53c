using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Native;

/// <summary>
/// The CUDA driver API (libcuda.so.1, cuda.h), just what the backend uses. C names 1:1 with the exported,
/// versioned symbols (cuda.h #defines cuMemAlloc to cuMemAlloc_v2 and so on; we bind the export itself).
/// C types: CUresult → <see cref="CUresult"/>, CUdevice → int, CUdeviceptr → ulong, size_t → nuint,
/// every opaque handle (CUcontext, CUmodule, CUfunction, CUstream, CUgraph, CUgraphExec) → nint.
/// </summary>
internal static unsafe partial class CudaDriver
{
    private const string Lib = CudaLibraryResolver.DriverName;

    static CudaDriver() => CudaLibraryResolver.EnsureRegistered();

    /// <summary>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR.</summary>
    public const int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    /// <summary>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR.</summary>
    public const int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    /// <summary>CU_STREAM_NON_BLOCKING: no implicit synchronisation with the legacy default stream.</summary>
    public const uint CU_STREAM_NON_BLOCKING = 0x1;
    /// <summary>CU_STREAM_CAPTURE_MODE_THREAD_LOCAL: only this thread's unsafe calls are prohibited while capturing.</summary>
    public const int CU_STREAM_CAPTURE_MODE_THREAD_LOCAL = 1;

    // ---- initialisation, version, devices -----------------------------------------------------

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuInit(uint Flags);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuDriverGetVersion(int* driverVersion);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuDeviceGetCount(int* count);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuDeviceGet(int* device, int ordinal);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuDeviceGetAttribute(int* pi, int attrib, int dev);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuDeviceGetName(byte* name, int len, int dev);

    // ---- context -----------------------------------------------------------------------------------

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuDevicePrimaryCtxRetain(nint* pctx, int dev);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuDevicePrimaryCtxRelease_v2(int dev);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuCtxSetCurrent(nint ctx);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuCtxGetCurrent(nint* pctx);

    // ---- memory ------------------------------------------------------------------------------------

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemAlloc_v2(ulong* dptr, nuint bytesize);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemFree_v2(ulong dptr);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemcpyHtoD_v2(ulong dstDevice, void* srcHost, nuint ByteCount);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemcpyDtoH_v2(void* dstHost, ulong srcDevice, nuint ByteCount);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemcpyHtoDAsync_v2(ulong dstDevice, void* srcHost, nuint ByteCount, nint hStream);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemcpyDtoHAsync_v2(void* dstHost, ulong srcDevice, nuint ByteCount, nint hStream);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemcpyDtoDAsync_v2(ulong dstDevice, ulong srcDevice, nuint ByteCount, nint hStream);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemsetD32Async(ulong dstDevice, uint ui, nuint N, nint hStream);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemGetInfo_v2(nuint* free, nuint* total);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemHostAlloc(void** pp, nuint bytesize, uint Flags);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuMemFreeHost(void* p);

    // ---- events ----------------------------------------------------------------------------------------

    /// <summary>CU_EVENT_DISABLE_TIMING: an event for ordering and completion only (cheaper to record and query).</summary>
    public const uint CU_EVENT_DISABLE_TIMING = 0x2;

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuEventCreate(nint* phEvent, uint Flags);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuEventRecord(nint hEvent, nint hStream);

    /// <summary>CUDA_SUCCESS when the work before the event has finished, CUDA_ERROR_NOT_READY while it has not; never waits.</summary>
    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuEventQuery(nint hEvent);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuEventDestroy_v2(nint hEvent);

    // ---- modules and launches ----------------------------------------------------------------------------

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuModuleLoadData(nint* module, void* image);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuModuleUnload(nint hmod);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuModuleGetFunction(nint* hfunc, nint hmod, byte* name);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuLaunchKernel(nint f, uint gridDimX, uint gridDimY, uint gridDimZ,
        uint blockDimX, uint blockDimY, uint blockDimZ, uint sharedMemBytes, nint hStream, void** kernelParams, void** extra);

    // ---- streams and graphs ------------------------------------------------------------------------------

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuStreamCreate(nint* phStream, uint Flags);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuStreamDestroy_v2(nint hStream);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuStreamSynchronize(nint hStream);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuStreamBeginCapture_v2(nint hStream, int mode);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuStreamEndCapture(nint hStream, nint* phGraph);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuGraphInstantiateWithFlags(nint* phGraphExec, nint hGraph, ulong flags);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuGraphLaunch(nint hGraphExec, nint hStream);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuGraphExecDestroy(nint hGraphExec);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuGraphDestroy(nint hGraph);

    // ---- errors --------------------------------------------------------------------------------------------

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuGetErrorString(CUresult error, byte** pStr);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial CUresult cuGetErrorName(CUresult error, byte** pStr);

    /// <summary>Throws <see cref="CudaException"/> naming the call and the driver's error name and string unless it succeeded.</summary>
    public static void ThrowIfFailed(CUresult status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != CUresult.CUDA_SUCCESS) throw Failure(status, call);
    }

    /// <summary>The exception <see cref="ThrowIfFailed"/> throws.</summary>
    public static CudaException Failure(CUresult status, string call)
    {
        var (name, description) = Describe(status);
        return new CudaException("CUDA driver", CudaException.FunctionName(call), (int)status, name, description, call);
    }

    /// <summary>The driver's name and description of <paramref name="status"/> (a fallback when it has none).</summary>
    public static (string Name, string Description) Describe(CUresult status)
    {
        byte* name = null, text = null;
        string? n = cuGetErrorName(status, &name) == CUresult.CUDA_SUCCESS && name != null ? Marshal.PtrToStringUTF8((nint)name) : null;
        string? d = cuGetErrorString(status, &text) == CUresult.CUDA_SUCCESS && text != null ? Marshal.PtrToStringUTF8((nint)text) : null;
        return (n ?? (Enum.IsDefined(status) ? status.ToString() : "CUresult " + (int)status), d ?? "unknown error");
    }
}

/// <summary>CUresult: the driver API status codes the backend tells apart (others pass through as numbers).</summary>
internal enum CUresult
{
    /// <summary>No error.</summary>
    CUDA_SUCCESS = 0,
    /// <summary>An argument was invalid.</summary>
    CUDA_ERROR_INVALID_VALUE = 1,
    /// <summary>Device memory exhausted.</summary>
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    /// <summary>cuInit has not been called (or failed).</summary>
    CUDA_ERROR_NOT_INITIALIZED = 3,
    /// <summary>The driver is shutting down.</summary>
    CUDA_ERROR_DEINITIALIZED = 4,
    /// <summary>libcuda is the toolkit's link stub, not a driver.</summary>
    CUDA_ERROR_STUB_LIBRARY = 34,
    /// <summary>The installed driver is older than the CUDA runtime needs.</summary>
    CUDA_ERROR_INSUFFICIENT_DRIVER = 35,
    /// <summary>No CUDA-capable device.</summary>
    CUDA_ERROR_NO_DEVICE = 100,
    /// <summary>The device ordinal is not valid.</summary>
    CUDA_ERROR_INVALID_DEVICE = 101,
    /// <summary>The CUBIN does not fit this device.</summary>
    CUDA_ERROR_INVALID_IMAGE = 200,
    /// <summary>No kernel image for this device.</summary>
    CUDA_ERROR_NO_BINARY_FOR_GPU = 209,
    /// <summary>A named symbol (kernel) was not found.</summary>
    CUDA_ERROR_NOT_FOUND = 500,
    /// <summary>Asynchronous work has not finished.</summary>
    CUDA_ERROR_NOT_READY = 600,
    /// <summary>A kernel accessed an invalid address.</summary>
    CUDA_ERROR_ILLEGAL_ADDRESS = 700,
    /// <summary>Too many resources requested for a launch.</summary>
    CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
    /// <summary>A kernel failed.</summary>
    CUDA_ERROR_LAUNCH_FAILED = 719,
    /// <summary>The operation is not permitted while a stream is being captured.</summary>
    CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED = 900,
    /// <summary>The capture was invalidated by an earlier error.</summary>
    CUDA_ERROR_STREAM_CAPTURE_INVALIDATED = 901,
}
