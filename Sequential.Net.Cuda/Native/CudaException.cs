namespace SequentialNet.Cuda;

/// <summary>
/// A CUDA driver, cuBLAS or NVRTC call failed. The message names the call, the status code, its name and
/// the library's own description, e.g. <c>cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory</c>.
/// It is an <see cref="InvalidOperationException"/>, so the automatic device choice treats a GPU that
/// fails to start as unusable and falls back to the CPU (with a one-line notice).
/// </summary>
public sealed class CudaException : InvalidOperationException
{
    /// <summary>Creates the exception for a failed call.</summary>
    /// <param name="library">"CUDA driver", "cuBLAS" or "NVRTC".</param>
    /// <param name="function">The C function that failed, e.g. "cuLaunchKernel".</param>
    /// <param name="status">Its status code.</param>
    /// <param name="statusName">The code's name, e.g. "CUDA_ERROR_LAUNCH_FAILED".</param>
    /// <param name="description">The library's description of the code.</param>
    /// <param name="call">The source text of the call (arguments included).</param>
    public CudaException(string library, string function, int status, string statusName, string description, string call)
        : base(Format(library, function, status, statusName, description, call))
    {
        Library = library;
        Function = function;
        Status = status;
        StatusName = statusName;
        Call = call;
    }

    /// <summary>"CUDA driver", "cuBLAS" or "NVRTC".</summary>
    public string Library { get; }

    /// <summary>The C function that failed.</summary>
    public string Function { get; }

    /// <summary>The status code it returned (CUresult, cublasStatus_t or nvrtcResult).</summary>
    public int Status { get; }

    /// <summary>The name of <see cref="Status"/>, e.g. "CUDA_ERROR_OUT_OF_MEMORY".</summary>
    public string StatusName { get; }

    /// <summary>The source text of the failing call.</summary>
    public string Call { get; }

    /// <summary>
    /// Whether this is a device fault of the driver (a kernel's illegal address, a failed or timed-out launch,
    /// a device assert, an uncorrectable ECC error): a sticky error that every later call in the context
    /// returns again, so what follows it (frees, destroys) fails only because of it.
    /// </summary>
    public bool IsDeviceFault => Library == "CUDA driver" && Status is 214 or 700 or 702 or 710 or (>= 714 and <= 719);

    /// <summary>The function name at the start of a call expression: "cuInit(0)" → "cuInit".</summary>
    internal static string FunctionName(string call)
    {
        int paren = call.IndexOf('(', StringComparison.Ordinal);
        string head = (paren < 0 ? call : call[..paren]).Trim();
        int dot = head.LastIndexOf('.');
        return dot < 0 ? head : head[(dot + 1)..];
    }

    private static string Format(string library, string function, int status, string statusName, string description, string call)
    {
        string text = $"{library} call {function} failed: {statusName} ({status})";
        if (description.Length > 0 && description != statusName) text += ": " + description;
        if (call.Length > 0 && call != function) text += $" [{call}]";
        return text;
    }
}
