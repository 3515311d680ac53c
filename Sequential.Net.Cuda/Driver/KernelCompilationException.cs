namespace SequentialNet.Cuda;

/// <summary>
/// NVRTC rejected a kernel source. <see cref="Log"/> is NVRTC's program log (the compiler's errors and
/// warnings with line numbers), <see cref="FileName"/> the kernels/ file, <see cref="Options"/> the options
/// it was compiled with. Not an <see cref="InvalidOperationException"/>: a kernel that does not compile is
/// a bug to fix, never a reason to fall back quietly to the CPU.
/// </summary>
public sealed class KernelCompilationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KernelCompilationException(string fileName, string log, IReadOnlyList<string> options)
        : base($"NVRTC could not compile kernels/{fileName} ({string.Join(" ", options)}):\n{log.TrimEnd()}")
    {
        FileName = fileName;
        Log = log;
        Options = options;
    }

    /// <summary>The kernel file, e.g. "unary.cu".</summary>
    public string FileName { get; }

    /// <summary>NVRTC's program log.</summary>
    public string Log { get; }

    /// <summary>The NVRTC options used.</summary>
    public IReadOnlyList<string> Options { get; }
}
