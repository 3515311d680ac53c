using System.Runtime.InteropServices;
using SequentialNet.Cuda.Native;

namespace SequentialNet.Cuda;

/// <summary>NVRTC's output for one program: the CUBIN and the program log (empty when clean).</summary>
internal sealed record CompiledKernel(byte[] Cubin, string Log);

/// <summary>
/// Compiles one kernels/*.cu file with NVRTC to a CUBIN for one real architecture (sm_XY), every
/// kernels/*.cuh given to it as a named header. Thread-safe (NVRTC programs are independent).
/// </summary>
internal static unsafe class KernelCompiler
{
    private static readonly Lock Gate = new();
    private static (int Major, int Minor)? _version;
    private static int[]? _architectures;

    /// <summary>The loaded NVRTC's version, e.g. (11, 8).</summary>
    /// <exception cref="InvalidOperationException">libnvrtc is not installed (the message says what to install).</exception>
    public static (int Major, int Minor) Version
    {
        get
        {
            lock (Gate)
            {
                if (_version is { } known) return known;
                CudaLibraryResolver.Load(CudaLibrary.Nvrtc);
                int major, minor;
                Nvrtc.ThrowIfFailed(Nvrtc.nvrtcVersion(&major, &minor));
                _version = (major, minor);
                return (major, minor);
            }
        }
    }

    /// <summary>The real architectures the loaded NVRTC can compile for, as major·10 + minor (e.g. 35 … 90).</summary>
    public static IReadOnlyList<int> SupportedArchitectures()
    {
        _ = Version;   // loads the library, or throws the clear message
        lock (Gate)
        {
            if (_architectures != null) return _architectures;
            int count;
            Nvrtc.ThrowIfFailed(Nvrtc.nvrtcGetNumSupportedArchs(&count));
            var archs = new int[count];
            if (count > 0)
                fixed (int* p = archs) Nvrtc.ThrowIfFailed(Nvrtc.nvrtcGetSupportedArchs(p));
            return _architectures = archs;
        }
    }

    /// <summary>
    /// The NVRTC options for <paramref name="arch"/> (part of the cache key):
    /// <list type="bullet">
    /// <item><c>--gpu-architecture=sm_XY</c>: a real architecture, so NVRTC emits a CUBIN for exactly this
    /// device and the driver never JIT-compiles PTX.</item>
    /// <item><c>-std=c++17</c>: the dialect the kernels and the g++ emulation build share.</item>
    /// <item><c>-default-device</c>: functions without <c>__device__</c> compile as device functions, so
    /// helpers in common.cuh need no annotation and the same text compiles for the host under g++.</item>
    /// <item><c>--fmad=true</c> (NVRTC's default, stated so the key records it): a·b + c may contract to an
    /// FMA, which changes a result by at most half an ulp of the product per contraction. The CPU backend's
    /// SIMD paths use FMA as well, and docs/testing.md's fp32 tolerances (rtol 1e-5, about 80 ulp) hold with
    /// room to spare. <c>--use_fast_math</c> is deliberately absent: approximate exp/log/division and
    /// flushed denormals would not hold those tolerances.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<string> Options(int arch) =>
        [$"--gpu-architecture=sm_{arch}", "-std=c++17", "-default-device", "--fmad=true"];

    /// <summary>Compiles <paramref name="program"/> for sm_<paramref name="arch"/> with <see cref="Options"/>.</summary>
    /// <exception cref="KernelCompilationException">NVRTC rejected the source (carries the log).</exception>
    /// <exception cref="InvalidOperationException">NVRTC is missing or does not know <paramref name="arch"/>.</exception>
    public static CompiledKernel Compile(KernelFile program, IReadOnlyList<KernelFile> headers, int arch)
    {
        RequireArchitecture(arch);
        return Compile(program, headers, Options(arch));
    }

    /// <summary>Throws a clear error when the loaded NVRTC cannot target sm_<paramref name="arch"/>.</summary>
    public static void RequireArchitecture(int arch)
    {
        var supported = SupportedArchitectures();
        if (supported.Contains(arch)) return;
        var (major, minor) = Version;
        string range = supported.Count == 0 ? "none" : $"sm_{supported.Min()} to sm_{supported.Max()}";
        throw new InvalidOperationException(
            $"NVRTC {major}.{minor} cannot compile for sm_{arch} (it supports {range}): install a CUDA toolkit whose NVRTC knows this GPU.");
    }

    /// <summary>Compiles <paramref name="program"/> with explicit <paramref name="options"/>.</summary>
    /// <exception cref="KernelCompilationException">NVRTC rejected the source or the options (carries the log).</exception>
    public static CompiledKernel Compile(KernelFile program, IReadOnlyList<KernelFile> headers, IReadOnlyList<string> options)
    {
        _ = Version;
        using var strings = new Utf8Strings();
        byte** headerTexts = strings.Array(headers.Select(h => h.Source).ToArray());
        byte** headerNames = strings.Array(headers.Select(h => h.Name).ToArray());
        byte** optionTexts = strings.Array(options.ToArray());
        nint prog;
        Nvrtc.ThrowIfFailed(Nvrtc.nvrtcCreateProgram(&prog, strings.Add(program.Source), strings.Add(program.Name), headers.Count, headerTexts, headerNames));
        try
        {
            var status = Nvrtc.nvrtcCompileProgram(prog, options.Count, optionTexts);
            string log = ProgramLog(prog);
            if (status != nvrtcResult.NVRTC_SUCCESS)
            {
                if (status != nvrtcResult.NVRTC_ERROR_COMPILATION)
                    log = $"nvrtcCompileProgram returned {status}: {Marshal.PtrToStringUTF8((nint)Nvrtc.nvrtcGetErrorString(status))}\n{log}";
                throw new KernelCompilationException(program.Name, log, options);
            }
            nuint size;
            Nvrtc.ThrowIfFailed(Nvrtc.nvrtcGetCUBINSize(prog, &size));
            var cubin = new byte[(int)size];
            fixed (byte* p = cubin) Nvrtc.ThrowIfFailed(Nvrtc.nvrtcGetCUBIN(prog, p));
            return new CompiledKernel(cubin, log);
        }
        finally
        {
            Nvrtc.nvrtcDestroyProgram(&prog);
        }
    }

    private static string ProgramLog(nint prog)
    {
        nuint size;
        Nvrtc.ThrowIfFailed(Nvrtc.nvrtcGetProgramLogSize(prog, &size));
        if (size <= 1) return "";
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes) Nvrtc.ThrowIfFailed(Nvrtc.nvrtcGetProgramLog(prog, p));
        return System.Text.Encoding.UTF8.GetString(bytes, 0, Array.IndexOf(bytes, (byte)0) is int nul and >= 0 ? nul : bytes.Length);
    }

    /// <summary>NUL-terminated UTF-8 copies of strings (and arrays of them) in native memory, freed together.</summary>
    private sealed class Utf8Strings : IDisposable
    {
        private readonly List<nint> _blocks = [];

        public byte* Add(string text)
        {
            nint p = Marshal.StringToCoTaskMemUTF8(text);
            _blocks.Add(p);
            return (byte*)p;
        }

        public byte** Array(string[] texts)
        {
            nint block = Marshal.AllocCoTaskMem(Math.Max(1, texts.Length) * sizeof(nint));
            _blocks.Add(block);
            var array = (byte**)block;
            for (int i = 0; i < texts.Length; i++) array[i] = Add(texts[i]);
            return array;
        }

        public void Dispose()
        {
            foreach (var p in _blocks) Marshal.FreeCoTaskMem(p);
            _blocks.Clear();
        }
    }
}
