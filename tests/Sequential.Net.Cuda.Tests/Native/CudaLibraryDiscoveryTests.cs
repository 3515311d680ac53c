using SequentialNet.Cuda.Native;

namespace SequentialNet.Cuda.Tests;

/// <summary>
/// Library discovery on fake folder trees laid out like real GPU machines: CUDA only inside PyTorch's pip
/// wheels, a conda environment, a virtual environment, LD_LIBRARY_PATH over a toolkit; and the choice of
/// the library major version from the driver's CUDA version.
/// </summary>
public class CudaLibraryDiscoveryTests
{
    private const string VenvSite = "/home/u/venv/lib/python3.12/site-packages";
    private const string SystemSite = "/usr/local/lib/python3.10/dist-packages";

    private static CudaLibraryProbe Probe(FakeFolderTree tree, Dictionary<string, string?> environment, List<string>? attempts = null)
        => new(name => environment.GetValueOrDefault(name), tree.ListDirectories, tree.FileExists, candidate =>
        {
            attempts?.Add(candidate);
            return (candidate.StartsWith('/') ? 1 : 0, null);   // every file that exists loads; bare names are "not installed"
        });

    [Test]
    public void LdLibraryPathIsSearchedBeforeTheToolkitFolders()
    {
        // As the dynamic loader: a user who points LD_LIBRARY_PATH at CUDA 12 gets CUDA 12, even beside a /usr/local/cuda-13.0.
        var tree = new FakeFolderTree("/usr/local/cuda-13.0/lib64/libcublas.so.13", "/opt/cu12/lib/libcublas.so.12");
        var probe = Probe(tree, new() { ["LD_LIBRARY_PATH"] = "/opt/cu12/lib" });
        probe.Load(CudaLibrary.Cublas, out string? from, out _, driverMajor: 13);
        Assert.That(from, Is.EqualTo("/opt/cu12/lib/libcublas.so.12"));
    }

    [Test]
    public void PyTorchCuda12WheelsAreFoundInTheVirtualEnvironment()
    {
        var tree = new FakeFolderTree(
            VenvSite + "/nvidia/cublas/lib/libcublas.so.12", VenvSite + "/nvidia/cublas/lib/libcublasLt.so.12",
            VenvSite + "/nvidia/cuda_nvrtc/lib/libnvrtc.so.12", VenvSite + "/torch/__init__.py");
        var probe = Probe(tree, new() { ["VIRTUAL_ENV"] = "/home/u/venv", ["HOME"] = "/home/u" });
        probe.Load(CudaLibrary.Cublas, out string? cublas, out _, driverMajor: 12);
        probe.Load(CudaLibrary.Nvrtc, out string? nvrtc, out _, driverMajor: 12);
        Assert.That(cublas, Is.EqualTo(VenvSite + "/nvidia/cublas/lib/libcublas.so.12"));
        Assert.That(nvrtc, Is.EqualTo(VenvSite + "/nvidia/cuda_nvrtc/lib/libnvrtc.so.12"));
    }

    [Test]
    public void Cuda13WheelsKeepEveryLibraryInOneFolderOfTheSystemPython()
    {
        // pip install torch as root on a machine with no toolkit: /usr/local/lib/python3.X/dist-packages/nvidia/cu13/lib.
        var tree = new FakeFolderTree(SystemSite + "/nvidia/cu13/lib/libcublas.so.13", SystemSite + "/nvidia/cu13/lib/libnvrtc.so.13");
        var probe = Probe(tree, []);
        probe.Load(CudaLibrary.Nvrtc, out string? nvrtc, out _, driverMajor: 13);
        Assert.That(nvrtc, Is.EqualTo(SystemSite + "/nvidia/cu13/lib/libnvrtc.so.13"));
    }

    [Test]
    public void FolderOrderIsLdLibraryPathWheelsCondaVirtualEnvironmentThenToolkits()
    {
        var tree = new FakeFolderTree(
            "/home/u/venv/lib/python3.12/site-packages/x.py", "/opt/conda/envs/t/lib/python3.11/site-packages/x.py",
            "/home/u/.local/lib/python3.9/site-packages/x.py", "/home/u/.local/lib/python3.12/site-packages/x.py",
            SystemSite + "/x.py", "/usr/lib/python3/dist-packages/x.py",
            "/usr/local/cuda-12.4/lib64/libcublas.so.12", "/usr/local/cuda/lib64/libcublas.so.12");
        var probe = Probe(tree, new()
        {
            ["LD_LIBRARY_PATH"] = "/ld/one:/ld/two", ["VIRTUAL_ENV"] = "/home/u/venv", ["CONDA_PREFIX"] = "/opt/conda/envs/t",
            ["HOME"] = "/home/u", ["CUDA_PATH"] = "/opt/cuda",
        });
        static IEnumerable<string> Wheels(string site) => CudaSearchPath.WheelFolders.Select(w => site + "/" + w);
        string[] expected =
        [
            "/ld/one", "/ld/two",
            .. Wheels(VenvSite), .. Wheels("/opt/conda/envs/t/lib/python3.11/site-packages"),
            .. Wheels("/home/u/.local/lib/python3.12/site-packages"), .. Wheels("/home/u/.local/lib/python3.9/site-packages"),
            .. Wheels(SystemSite), .. Wheels("/usr/lib/python3/dist-packages"),
            "/opt/conda/envs/t/lib", "/home/u/venv/lib",
            "/opt/cuda/lib64", "/usr/local/cuda-12.4/lib64", "/usr/local/cuda/lib64",
        ];
        Assert.That(probe.Directories(), Is.EqualTo(expected));
        Assert.That(CudaSearchPath.WheelFolders, Is.EqualTo(new[] { "nvidia/cu13/lib", "nvidia/cublas/lib", "nvidia/cuda_nvrtc/lib" }));
    }

    [Test]
    public void TheDriverIsNotLookedForInPythonWheels()
    {
        var tree = new FakeFolderTree(VenvSite + "/torch/__init__.py");
        var probe = Probe(tree, new() { ["VIRTUAL_ENV"] = "/home/u/venv", ["LD_LIBRARY_PATH"] = "/usr/local/nvidia/lib64" });
        Assert.That(probe.Candidates(CudaLibrary.Driver).Where(c => c.Contains("site-packages")), Is.Empty);
        Assert.That(probe.Candidates(CudaLibrary.Driver), Does.Contain("/usr/local/nvidia/lib64/libcuda.so.1"));
        Assert.That(probe.Candidates(CudaLibrary.Cublas), Does.Contain(VenvSite + "/nvidia/cublas/lib/libcublas.so.12"));
        probe.Load(CudaLibrary.Driver, out _, out string error);
        Assert.That(error, Does.Not.Contain("site-packages").And.Contain("/usr/local/nvidia/lib64"));
    }

    [Test]
    public void CondaLibraryFolderIsSearched()
    {
        var tree = new FakeFolderTree("/opt/conda/lib/libnvrtc.so.12");
        var probe = Probe(tree, new() { ["CONDA_PREFIX"] = "/opt/conda" });
        probe.Load(CudaLibrary.Nvrtc, out string? from, out _, driverMajor: 12);
        Assert.That(from, Is.EqualTo("/opt/conda/lib/libnvrtc.so.12"));
    }

    [Test]
    public void TheNewestMajorTheDriverSupportsIsChosenNotTheNewestInstalled()
    {
        // CUDA 13's cuBLAS on a 12.x driver loads, then fails with CUDA_ERROR_INSUFFICIENT_DRIVER at its first call.
        var tree = new FakeFolderTree("/usr/local/cuda/lib64/libcublas.so.13", "/usr/local/cuda/lib64/libcublas.so.12", "/usr/local/cuda/lib64/libcublas.so.11");
        var attempts = new List<string>();
        var probe = Probe(tree, [], attempts);
        probe.Load(CudaLibrary.Cublas, out string? with12, out _, driverMajor: 12);
        Assert.That(with12, Is.EqualTo("/usr/local/cuda/lib64/libcublas.so.12"));
        Assert.That(attempts, Does.Not.Contain("/usr/local/cuda/lib64/libcublas.so.13"), "a library newer than the driver is never opened");
        probe.Load(CudaLibrary.Cublas, out string? with13, out _, driverMajor: 13);
        Assert.That(with13, Is.EqualTo("/usr/local/cuda/lib64/libcublas.so.13"));
        probe.Load(CudaLibrary.Cublas, out string? unknown, out _, driverMajor: null);
        Assert.That(unknown, Is.EqualTo("/usr/local/cuda/lib64/libcublas.so.13"), "no driver version known: newest first");
    }

    [Test]
    public void NvrtcOfCuda11IsChosenForAnOldDriver()
    {
        var tree = new FakeFolderTree("/usr/local/cuda/lib64/libnvrtc.so.12", "/usr/local/cuda/lib64/libnvrtc.so.11.2");
        Probe(tree, []).Load(CudaLibrary.Nvrtc, out string? from, out _, driverMajor: 11);
        Assert.That(from, Is.EqualTo("/usr/local/cuda/lib64/libnvrtc.so.11.2"));
    }

    [Test]
    public void NotFoundNamesEveryPlaceTriedAndTheVersionsLeftOut()
    {
        var tree = new FakeFolderTree(VenvSite + "/numpy/x.py", "/usr/local/cuda-13.0/lib64/libcublas.so.13");
        var probe = Probe(tree, new() { ["VIRTUAL_ENV"] = "/home/u/venv", ["CONDA_PREFIX"] = "/opt/conda", ["LD_LIBRARY_PATH"] = "/ld" });
        Assert.That(probe.Load(CudaLibrary.Cublas, out _, out string error, driverMajor: 12), Is.EqualTo(nint.Zero));
        foreach (var folder in probe.Directories()) Assert.That(error, Does.Contain(folder));
        Assert.That(error, Does.Contain(VenvSite + "/nvidia/cublas/lib").And.Contain("/opt/conda/lib").And.Contain("/home/u/venv/lib")
            .And.Contain("/ld").And.Contain("/usr/local/cuda-13.0/lib64").And.Contain("system library path"));
        Assert.That(error, Does.Contain("not tried: libcublas.so.13, newer than the driver's CUDA 12"));
    }

    [Test]
    public void MajorVersionsOfSonames()
    {
        Assert.That(CudaLibraryProbe.MajorOf("libcublas.so.13"), Is.EqualTo(13));
        Assert.That(CudaLibraryProbe.MajorOf("libnvrtc.so.11.2"), Is.EqualTo(11));
        Assert.That(CudaLibraryProbe.MajorOf("libcublas.so"), Is.Null);
        Assert.That(CudaLibraryProbe.FileNames(CudaLibrary.Nvrtc, 12), Is.EqualTo(new[] { "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so" }));
        Assert.That(CudaLibraryProbe.FileNames(CudaLibrary.Driver, 11), Is.EqualTo(new[] { "libcuda.so.1", "libcuda.so" }), "the driver's own soname is not a CUDA version");
    }
}
