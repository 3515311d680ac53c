using SequentialNet.Cuda.Native;

namespace SequentialNet.Cuda.Tests;

/// <summary>
/// Where the CUDA libraries are looked for and what a missing one says, over a fake file system and
/// loader, so the checks run on any machine.
/// </summary>
public class CudaLibraryProbeTests
{
    private static readonly string[] Installations =
        ["/usr/local/cuda", "/usr/local/cuda-12.4", "/usr/local/cuda-12.10", "/usr/local/cuda-11.8", "/usr/local/cuda-13.0", "/usr/local/cuda-12"];

    private static CudaLibraryProbe Fake(Dictionary<string, string?> environment, string[] installations, ISet<string> files,
        Func<string, (nint, string?)>? load = null, List<string>? attempts = null) => new(
        name => environment.GetValueOrDefault(name),
        (root, pattern) => root == "/usr/local" && pattern == "cuda*" ? installations : [],
        files.Contains,
        candidate =>
        {
            attempts?.Add(candidate);
            return load?.Invoke(candidate) ?? (0, null);
        });

    [Test]
    public void FileNamesAreNewestFirstThenUnversioned()
    {
        Assert.That(CudaLibraryProbe.FileNames(CudaLibrary.Driver), Is.EqualTo(new[] { "libcuda.so.1", "libcuda.so" }));
        Assert.That(CudaLibraryProbe.FileNames(CudaLibrary.Cublas), Is.EqualTo(new[] { "libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so" }));
        Assert.That(CudaLibraryProbe.FileNames(CudaLibrary.Nvrtc), Is.EqualTo(new[] { "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so" }));
    }

    [Test]
    public void FoldersAreLdLibraryPathFirstThenCudaPathThenToolkitsNewestFirst()
    {
        var probe = Fake(new() { ["CUDA_PATH"] = "/opt/cuda", ["LD_LIBRARY_PATH"] = "/a/lib::/b/lib/:/opt/cuda/lib64" }, Installations, new HashSet<string>());
        Assert.That(probe.Directories(), Is.EqualTo(new[]
        {
            "/a/lib", "/b/lib", "/opt/cuda/lib64",
            "/usr/local/cuda-13.0/lib64", "/usr/local/cuda-12.10/lib64", "/usr/local/cuda-12.4/lib64", "/usr/local/cuda-12/lib64",
            "/usr/local/cuda-11.8/lib64", "/usr/local/cuda/lib64",
        }));
    }

    [Test]
    public void WithoutEnvironmentOnlyTheToolkitFoldersAreSearched()
    {
        var probe = Fake([], ["/usr/local/cuda"], new HashSet<string>());
        Assert.That(probe.Directories(), Is.EqualTo(new[] { "/usr/local/cuda/lib64" }));
        Assert.That(Fake([], [], new HashSet<string>()).Directories(), Is.Empty);
    }

    [Test]
    public void CandidatesGoFolderByFolderThenTheSystemSearch()
    {
        var probe = Fake(new() { ["CUDA_PATH"] = "/opt/cuda" }, ["/usr/local/cuda-12.4"], new HashSet<string>());
        Assert.That(probe.Candidates(CudaLibrary.Driver), Is.EqualTo(new[]
        {
            "/opt/cuda/lib64/libcuda.so.1", "/opt/cuda/lib64/libcuda.so",
            "/usr/local/cuda-12.4/lib64/libcuda.so.1", "/usr/local/cuda-12.4/lib64/libcuda.so",
            "libcuda.so.1", "libcuda.so",
        }));
    }

    [Test]
    public void LoadsTheFirstExistingFileAndSkipsAbsentOnes()
    {
        var attempts = new List<string>();
        var files = new HashSet<string> { "/usr/local/cuda-12.4/lib64/libcublas.so.12", "/usr/local/cuda-11.8/lib64/libcublas.so.11" };
        var probe = Fake([], Installations, files, c => (c.StartsWith('/') ? 42 : 0, null), attempts);
        nint handle = probe.Load(CudaLibrary.Cublas, out string? from, out string error);
        Assert.That(handle, Is.EqualTo((nint)42));
        Assert.That(from, Is.EqualTo("/usr/local/cuda-12.4/lib64/libcublas.so.12"));
        Assert.That(error, Is.Empty);
        Assert.That(attempts, Is.EqualTo(new[] { "/usr/local/cuda-12.4/lib64/libcublas.so.12" }), "absent files are not dlopened");
    }

    [Test]
    public void FallsBackToTheSystemSearch()
    {
        var attempts = new List<string>();
        var probe = Fake([], Installations, new HashSet<string>(), c => (c == "libnvrtc.so.11.2" ? 7 : 0, null), attempts);
        Assert.That(probe.Load(CudaLibrary.Nvrtc, out string? from, out _), Is.EqualTo((nint)7));
        Assert.That(from, Is.EqualTo("libnvrtc.so.11.2"));
        Assert.That(attempts, Is.EqualTo(new[] { "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2" }));
    }

    [Test]
    public void MissingDriverSaysWhatIsMissingWhereItLookedAndWhatToDo()
    {
        var probe = Fake(new() { ["LD_LIBRARY_PATH"] = "/x/lib" }, ["/usr/local/cuda-12.4"], new HashSet<string>());
        Assert.That(probe.Load(CudaLibrary.Driver, out string? from, out string error), Is.EqualTo(nint.Zero));
        Assert.That(from, Is.Null);
        Assert.That(error, Does.Contain("NVIDIA driver").And.Contain("libcuda.so.1"));
        Assert.That(error, Does.Contain("/usr/local/cuda-12.4/lib64").And.Contain("/x/lib").And.Contain("system library path"));
        Assert.That(error, Does.Contain("install the driver"));
    }

    [Test]
    public void AFileThatExistsButDoesNotLoadIsNamedInTheError()
    {
        var files = new HashSet<string> { "/usr/local/cuda-12.4/lib64/libcublas.so.12" };
        var probe = Fake([], ["/usr/local/cuda-12.4"], files, c => (0, c.StartsWith('/') ? "libcublasLt.so.12: cannot open shared object file" : null));
        Assert.That(probe.Load(CudaLibrary.Cublas, out _, out string error), Is.EqualTo(nint.Zero));
        Assert.That(error, Does.Contain("cuBLAS").And.Contain("/usr/local/cuda-12.4/lib64/libcublas.so.12: libcublasLt.so.12: cannot open shared object file"));
    }

    [Test]
    public void MissingNvrtcNamesTheDebianPackage()
    {
        var probe = Fake([], [], new HashSet<string>());
        probe.Load(CudaLibrary.Nvrtc, out _, out string error);
        Assert.That(error, Does.Contain("NVRTC").And.Contain("libnvrtc.so.11.2").And.Contain("libnvrtc11.2"));
    }

    [Test]
    public void VersionsCompareAsNumbers()
    {
        Assert.That(CudaLibraryProbe.OrderInstallations(["/usr/local/cuda-12.9", "/usr/local/cuda-12.10", "/usr/local/cuda-weird", "/usr/local/cuda"]),
            Is.EqualTo(new[] { "/usr/local/cuda-12.10", "/usr/local/cuda-12.9", "/usr/local/cuda", "/usr/local/cuda-weird" }));
    }
}
