using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Native;

/// <summary>
/// cuBLAS (libcublas.so.13/.12/.11, cublas_api.h), just what the backend uses; C names 1:1 with the
/// exports (cublas_v2.h #defines cublasCreate to cublasCreate_v2 and so on). cublasHandle_t and
/// cudaStream_t (= CUstream) → nint; device matrices → ulong device addresses; alpha and beta are host
/// pointers (the handle's default CUBLAS_POINTER_MODE_HOST), so their values are captured into a CUDA graph
/// at capture time.
/// </summary>
internal static unsafe partial class Cublas
{
    private const string Lib = CudaLibraryResolver.CublasName;

    static Cublas() => CudaLibraryResolver.EnsureRegistered();

    /// <summary>cublasOperation_t CUBLAS_OP_N.</summary>
    public const int CUBLAS_OP_N = 0;
    /// <summary>cublasOperation_t CUBLAS_OP_T.</summary>
    public const int CUBLAS_OP_T = 1;

    /// <summary>
    /// cublasMath_t CUBLAS_DEFAULT_MATH: compute and intermediate precisions with at least the mantissa and
    /// exponent bits requested, so an SGEMM stays FP32 (TF32 has a 10-bit mantissa and is never used in
    /// this mode). What PyTorch uses with allow_tf32 = False, and our default.
    /// </summary>
    public const int CUBLAS_DEFAULT_MATH = 0;
    /// <summary>cublasMath_t CUBLAS_PEDANTIC_MATH: prescribed precision and standardised arithmetic everywhere (testing; slower).</summary>
    public const int CUBLAS_PEDANTIC_MATH = 2;
    /// <summary>cublasMath_t CUBLAS_TF32_TENSOR_OP_MATH: FP32 routines may round inputs to TF32 on tensor cores (opt-in).</summary>
    public const int CUBLAS_TF32_TENSOR_OP_MATH = 3;

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial cublasStatus_t cublasCreate_v2(nint* handle);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial cublasStatus_t cublasDestroy_v2(nint handle);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial cublasStatus_t cublasGetVersion_v2(nint handle, int* version);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial cublasStatus_t cublasSetStream_v2(nint handle, nint streamId);

    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial cublasStatus_t cublasSetMathMode(nint handle, int mode);

    /// <summary>Gives cuBLAS a workspace of its own, so a captured GEMM allocates nothing (cuBLAS 11.4 and later).</summary>
    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial cublasStatus_t cublasSetWorkspace_v2(nint handle, ulong workspace, nuint workspaceSizeInBytes);

    /// <summary>
    /// The workspace cuBLAS is given: 32 MiB on Hopper and later (sm_90+), 4 MiB before, the sizes NVIDIA's cuBLAS
    /// documentation recommends for cublasSetWorkspace.
    /// </summary>
    public static long WorkspaceBytes(int computeCapability) => computeCapability >= 90 ? 32L << 20 : 4L << 20;

    /// <summary>Column-major C = alpha·op(A)·op(B) + beta·C (m×n, inner k).</summary>
    [LibraryImport(Lib), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial cublasStatus_t cublasSgemm_v2(nint handle, int transa, int transb, int m, int n, int k,
        float* alpha, ulong A, int lda, ulong B, int ldb, float* beta, ulong C, int ldc);

    /// <summary>Throws <see cref="CudaException"/> naming the call and the status unless it succeeded.</summary>
    public static void ThrowIfFailed(cublasStatus_t status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != cublasStatus_t.CUBLAS_STATUS_SUCCESS)
            throw new CudaException("cuBLAS", CudaException.FunctionName(call), (int)status, Name(status), Describe(status), call);
    }

    private static string Name(cublasStatus_t status) => Enum.IsDefined(status) ? status.ToString() : "cublasStatus_t " + (int)status;

    /// <summary>cublasGetStatusString where the loaded cuBLAS exports it (11.4.2 and later), else our own words.</summary>
    private static string Describe(cublasStatus_t status)
    {
        nint export = CudaLibraryResolver.OptionalExport(CudaLibrary.Cublas, "cublasGetStatusString");
        if (export != 0)
        {
            var getStatusString = (delegate* unmanaged[Cdecl]<cublasStatus_t, byte*>)export;
            byte* text = getStatusString(status);
            if (text != null) return Marshal.PtrToStringUTF8((nint)text) ?? "";
        }
        return status switch
        {
            cublasStatus_t.CUBLAS_STATUS_NOT_INITIALIZED => "the library was not initialized (is a CUDA context current?)",
            cublasStatus_t.CUBLAS_STATUS_ALLOC_FAILED => "resource allocation failed",
            cublasStatus_t.CUBLAS_STATUS_INVALID_VALUE => "an unsupported value or parameter was passed to the function",
            cublasStatus_t.CUBLAS_STATUS_ARCH_MISMATCH => "the function requires a feature absent from the device architecture",
            cublasStatus_t.CUBLAS_STATUS_EXECUTION_FAILED => "the GPU program failed to execute",
            cublasStatus_t.CUBLAS_STATUS_INTERNAL_ERROR => "an internal cuBLAS operation failed",
            cublasStatus_t.CUBLAS_STATUS_NOT_SUPPORTED => "the functionality requested is not supported",
            _ => "",
        };
    }
}

/// <summary>cublasStatus_t.</summary>
internal enum cublasStatus_t
{
    /// <summary>Success.</summary>
    CUBLAS_STATUS_SUCCESS = 0,
    /// <summary>Not initialized.</summary>
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    /// <summary>Allocation failed.</summary>
    CUBLAS_STATUS_ALLOC_FAILED = 3,
    /// <summary>Invalid value.</summary>
    CUBLAS_STATUS_INVALID_VALUE = 7,
    /// <summary>Architecture mismatch.</summary>
    CUBLAS_STATUS_ARCH_MISMATCH = 8,
    /// <summary>Memory mapping error.</summary>
    CUBLAS_STATUS_MAPPING_ERROR = 11,
    /// <summary>Execution failed.</summary>
    CUBLAS_STATUS_EXECUTION_FAILED = 13,
    /// <summary>Internal error.</summary>
    CUBLAS_STATUS_INTERNAL_ERROR = 14,
    /// <summary>Not supported.</summary>
    CUBLAS_STATUS_NOT_SUPPORTED = 15,
    /// <summary>License error.</summary>
    CUBLAS_STATUS_LICENSE_ERROR = 16,
}
