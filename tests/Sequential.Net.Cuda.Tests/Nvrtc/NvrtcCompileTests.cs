using SequentialNet.Cuda.Native;

namespace SequentialNet.Cuda.Tests;

/// <summary>
/// Every embedded kernels/*.cu compiles with NVRTC for sm_80 and sm_90 without an error (warnings are printed),
/// and a broken source fails with NVRTC's log. Needs only libnvrtc (CI installs Debian's libnvrtc11.2),
/// no GPU; ignored, with the reason, only where libnvrtc cannot be loaded at all.
/// </summary>
[Category("Nvrtc")]
public class NvrtcCompileTests
{
    /// <summary>Skips the test, saying why, when libnvrtc is not installed.</summary>
    internal static void RequireNvrtc()
    {
        if (!CudaLibraryResolver.TryLoad(CudaLibrary.Nvrtc, out _, out string why))
            Assert.Ignore("libnvrtc cannot be loaded: " + why);
    }

    /// <summary>(file, architecture) for every embedded program and both architectures CI checks.</summary>
    public static IEnumerable<TestCaseData> ProgramsAndArchitectures() =>
        from program in KernelSources.Programs
        from arch in new[] { 80, 90 }
        select new TestCaseData(program.Name, arch).SetArgDisplayNames(program.Name, $"sm_{arch}");

    [Test]
    public void KernelSourcesAreEmbedded()
    {
        Assert.That(KernelSources.Programs, Is.Not.Empty, "no kernels/*.cu embedded in Sequential.Net.Cuda");
        Assert.That(KernelSources.Headers.Select(h => h.Name), Does.Contain("common.cuh"));
        Assert.That(KernelSources.Programs.Concat(KernelSources.Headers).Select(f => f.Name),
            Has.None.StartsWith("cuda_emu"), "the emulation header is for g++ only");
    }

    [TestCaseSource(nameof(ProgramsAndArchitectures))]
    public void KernelCompilesWithoutError(string file, int arch)
    {
        RequireNvrtc();
        var program = KernelSources.Programs.Single(p => p.Name == file);
        var result = KernelCompiler.Compile(program, KernelSources.Headers, arch);
        // Errors fail; warnings are printed only, so that a newer NVRTC's new warnings do not fail a GPU run.
        foreach (var warning in NvrtcLog.Warnings(result.Log)) TestContext.Out.WriteLine($"NVRTC {KernelCompiler.Version} at sm_{arch}: {warning}");
        Assert.That(NvrtcLog.Errors(result.Log), Is.Empty, $"NVRTC {KernelCompiler.Version} log for {file} at sm_{arch}");
        Assert.That(result.Cubin.Take(4), Is.EqualTo(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }), "a CUBIN is an ELF image");
    }

    [Test]
    public void TheResolverFindsNvrtcAndSaysWhere()
    {
        RequireNvrtc();
        Assert.That(CudaLibraryResolver.LoadedFrom(CudaLibrary.Nvrtc), Does.Contain("libnvrtc.so"));
        var (major, _) = KernelCompiler.Version;
        Assert.That(major, Is.GreaterThanOrEqualTo(11));
        TestContext.Out.WriteLine($"NVRTC {KernelCompiler.Version} from {CudaLibraryResolver.LoadedFrom(CudaLibrary.Nvrtc)}");
    }

    [Test]
    public void NvrtcSupportsTheArchitecturesCiChecks()
    {
        RequireNvrtc();
        Assert.That(KernelCompiler.SupportedArchitectures(), Does.Contain(80).And.Contain(90));
    }

    [Test]
    public void SyntaxErrorRaisesWithTheNvrtcLog()
    {
        RequireNvrtc();
        var broken = new KernelFile("broken.cu", "extern \"C\" __global__ void broken_fwd_f32(float* x)\n{\n    x[0] = ;\n}\n");
        var e = Assert.Throws<KernelCompilationException>(() => KernelCompiler.Compile(broken, [], 80))!;
        Assert.That(e.FileName, Is.EqualTo("broken.cu"));
        Assert.That(e.Log, Does.Contain("broken.cu").And.Contain("error"), "the log names the file and the error");
        Assert.That(e.Log, Does.Contain("(3)"), "the log gives the line of the error");
        Assert.That(e.Message, Does.Contain(e.Log.Trim()), "the message carries the log");
        Assert.That(e.Options, Does.Contain("--gpu-architecture=sm_80"));
    }

    [Test]
    public void AWarningIsReportedInTheLog()
    {
        RequireNvrtc();
        // An unused variable is a warning, not an error: the compile succeeds and the log says so, which is
        // what KernelCompilesWithoutErrorOrWarning relies on.
        var noisy = new KernelFile("noisy.cu", "extern \"C\" __global__ void noisy_fwd_f32(float* x)\n{\n    int unused;\n    x[0] = 1.0f;\n}\n");
        var result = KernelCompiler.Compile(noisy, [], 80);
        Assert.That(result.Log, Does.Contain("warning"));
        Assert.That(result.Cubin, Is.Not.Empty);
        Assert.That(NvrtcLog.Warnings(result.Log), Is.Not.Empty, "the log check sees the warning");
        Assert.That(NvrtcLog.Errors(result.Log), Is.Empty, "and does not take it for an error");
    }

    [Test]
    public void TheLogCheckTellsErrorsFromWarnings()
    {
        const string warningsOnly = "unary.cu(12): warning #177-D: variable \"t\" was declared but never referenced\n\nRemark: the warnings can be suppressed with \"-diag-suppress <warning-number>\"\n";
        const string withError = "broken.cu(3): error: expected an expression\n\n1 error detected in the compilation of \"broken.cu\".\n";
        Assert.That(NvrtcLog.Errors(warningsOnly), Is.Empty);
        Assert.That(NvrtcLog.Warnings(warningsOnly), Has.Count.EqualTo(1));
        Assert.That(NvrtcLog.Errors(withError), Is.EqualTo(new[] { "broken.cu(3): error: expected an expression" }));
        Assert.That(NvrtcLog.Errors("x.cu: catastrophic error: cannot open source file \"common.cuh\""), Has.Count.EqualTo(1));
    }

    [Test]
    public void HeadersAreIncludedByName()
    {
        RequireNvrtc();
        var header = new KernelFile("mine.cuh", "#pragma once\ninline float twice(float v) { return 2.0f * v; }\n");
        var program = new KernelFile("uses.cu", "#include \"mine.cuh\"\nextern \"C\" __global__ void uses_fwd_f32(float* x) { x[0] = twice(x[0]); }\n");
        var result = KernelCompiler.Compile(program, [header], 90);
        Assert.That(result.Log.Trim(), Is.Empty, "-default-device makes the unannotated helper a device function");
    }

    [Test]
    public void AnArchitectureNvrtcDoesNotKnowIsAClearError()
    {
        RequireNvrtc();
        var e = Assert.Throws<InvalidOperationException>(() => KernelCompiler.RequireArchitecture(12))!;
        Assert.That(e.Message, Does.Contain("sm_12").And.Contain("NVRTC"));
    }
}
