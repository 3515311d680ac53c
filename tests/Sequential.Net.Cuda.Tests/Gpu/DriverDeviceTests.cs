using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Tests;

/// <summary>
/// <see cref="DriverDevice"/> on a real GPU, one seam call at a time: memory, copies, fills, a launch by
/// name, the SGEMM gateway's column-major call, capture and replay, compile errors, and Dispose.
/// Ignored where no GPU works.
/// </summary>
[Category("Gpu")]
public unsafe class DriverDeviceTests
{
    private const string AddSource =
        "extern \"C\" __global__ void test_add_f32(float* x, float value, unsigned int n)\n{\n" +
        "    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) x[i] += value;\n}\n";

    private static DriverDevice Open(bool loadKernels = false) => new(0, loadKernels: loadKernels);

    private static float[] Read(DriverDevice device, ulong pointer, int count)
    {
        var values = new float[count];
        device.CopyToHost(pointer, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    [Test]
    public void OpensWithAllEmbeddedKernels()
    {
        GpuRequirement.RequireGpu();
        using var device = Open(loadKernels: true);
        Assert.That(device.Name, Does.Contain($"sm_{device.ComputeCapability}"));
        Assert.That(device.AllowTf32, Is.False, "strict FP32 by default");
        TestContext.Out.WriteLine($"{device.Name}, driver {DriverDevice.DriverVersion()}, NVRTC {KernelCompiler.Version}");
    }

    [Test]
    public void CopiesAndFillsRoundTrip()
    {
        GpuRequirement.RequireGpu();
        using var device = Open();
        var data = Enumerable.Range(0, 1000).Select(i => i * 0.5f - 7f).ToArray();
        ulong a = device.Allocate(4000), b = device.Allocate(4000);
        device.CopyToDevice(a, MemoryMarshal.AsBytes(data.AsSpan()));
        device.CopyOnDevice(b, a, 4000);
        Assert.That(Read(device, b, 1000), Is.EqualTo(data));
        device.Fill32(b + 400, BitConverter.SingleToUInt32Bits(3.25f), 10);
        var filled = Read(device, b, 1000);
        Assert.That(filled[100..110], Is.All.EqualTo(3.25f));
        Assert.That(filled[99], Is.EqualTo(data[99]));
        Assert.That(filled[110], Is.EqualTo(data[110]));
        device.Free(a);
        device.Free(b);
        Assert.That(device.LiveAllocations, Is.Zero);
        Assert.That(() => device.Free(a), Throws.ArgumentException, "double free is caught");
    }

    [Test]
    public void LaunchesAKernelByName()
    {
        GpuRequirement.RequireGpu();
        using var device = Open();
        device.LoadModule(new KernelFile("test_add.cu", AddSource), []);
        const int n = 1000;
        ulong x = device.Allocate(n * 4);
        device.Fill32(x, BitConverter.SingleToUInt32Bits(1f), n);
        float value = 2.5f;
        uint count = n;
        void** args = stackalloc void*[3];
        args[0] = &x; args[1] = &value; args[2] = &count;
        device.Launch("test_add_f32", new Dim3(2), new Dim3(128), 0, args);   // 256 threads: the grid-stride loop covers the rest
        Assert.That(Read(device, x, n), Is.All.EqualTo(3.5f));
        Assert.That(() => device.Launch("no_such_kernel_f32", new Dim3(1), new Dim3(1), 0, args),
            Throws.InvalidOperationException.With.Message.Contains("no_such_kernel_f32"));
    }

    [Test]
    public void SgemmIsColumnMajorAndStrictFp32()
    {
        GpuRequirement.RequireGpu();
        using var device = Open();
        // Column-major A (m×k), B (k×n): C = A·B, and C = Aᵀ·B with A stored k×m.
        const int m = 33, n = 17, k = 129;
        var random = new Random(5);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] bm = Enumerable.Range(0, k * n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        ulong da = device.Allocate(a.Length * 4), db = device.Allocate(bm.Length * 4), dc = device.Allocate(m * n * 4);
        device.CopyToDevice(da, MemoryMarshal.AsBytes(a.AsSpan()));
        device.CopyToDevice(db, MemoryMarshal.AsBytes(bm.AsSpan()));
        device.Fill32(dc, BitConverter.SingleToUInt32Bits(float.NaN), m * n);
        device.SgemmColumnMajor(false, false, m, n, k, 1f, da, m, db, k, 0f, dc, m);   // beta 0 must not read the NaNs
        var c = Read(device, dc, m * n);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                double expected = 0;
                for (int p = 0; p < k; p++) expected += (double)a[p * m + i] * bm[j * k + p];
                // Strict FP32 over k = 129 terms of size ≤ 1: error ≲ k·2⁻²⁴ ≈ 1e-5; TF32 (2⁻¹¹ per product) would be ≈ 1e-2.
                Assert.That(c[j * m + i], Is.EqualTo(expected).Within(1e-4), $"C[{i},{j}]");
            }
    }

    [Test]
    public void CapturedWorkReplays()
    {
        GpuRequirement.RequireGpu();
        using var device = Open();
        device.LoadModule(new KernelFile("test_add.cu", AddSource), []);
        const int n = 256;
        ulong x = device.Allocate(n * 4);
        device.Fill32(x, 0, n);
        float value = 1f;
        uint count = n;
        void** args = stackalloc void*[3];
        args[0] = &x; args[1] = &value; args[2] = &count;
        device.Synchronize();
        device.BeginCapture();
        device.Launch("test_add_f32", new Dim3(1), new Dim3(256), 0, args);
        nint graph = device.EndCapture();
        Assert.That(Read(device, x, n), Is.All.EqualTo(0f), "capturing does not run the work");
        for (int i = 0; i < 3; i++) device.Replay(graph);
        Assert.That(Read(device, x, n), Is.All.EqualTo(3f));
        device.DestroyCapture(graph);
    }

    [Test]
    public void AFirstGemmCanBeCapturedAndReplayed()
    {
        // cuBLAS has its own workspace (cublasSetWorkspace after cublasSetStream), so even the first GEMM of
        // a handle allocates nothing while the stream records.
        GpuRequirement.RequireGpu();
        using var device = Open();
        const int n = 64;
        var a = new float[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = (i % 7) - 3;
        ulong pa = device.Allocate(a.Length * 4), pc = device.Allocate(a.Length * 4);
        device.CopyToDevice(pa, MemoryMarshal.AsBytes(a.AsSpan()));
        device.BeginCapture();
        device.SgemmColumnMajor(false, false, n, n, n, 1f, pa, n, pa, n, 0f, pc, n);
        nint graph = device.EndCapture();
        device.Replay(graph);
        var c = Read(device, pc, n * n);
        for (int col = 0; col < n; col += 13)
            for (int row = 0; row < n; row += 11)
            {
                double expected = 0;
                for (int k = 0; k < n; k++) expected += (double)a[k * n + row] * a[col * n + k];
                Assert.That(c[col * n + row], Is.EqualTo(expected), $"C({row},{col}): small integers are exact in FP32");
            }
        device.DestroyCapture(graph);
    }

    [Test]
    public void AnAbortedCaptureLeavesTheStreamRunningWork()
    {
        GpuRequirement.RequireGpu();
        using var device = Open();
        ulong x = device.Allocate(64 * 4);
        device.BeginCapture();
        device.Fill32(x, 0x3f800000u, 64);   // 1.0f, recorded and then discarded
        device.AbortCapture();
        device.Fill32(x, 0x40000000u, 64);   // 2.0f, runs
        Assert.That(Read(device, x, 64), Is.All.EqualTo(2f));
        Assert.That(device.Fault, Is.Null);
    }

    [Test]
    public void WorksAfterSomethingElseChangedTheThreadsContext()
    {
        // Another library on this thread (PyTorch, a second device) may set its own context or none.
        GpuRequirement.RequireGpu();
        using var device = Open();
        ulong x = device.Allocate(16);
        Native.CudaDriver.ThrowIfFailed(Native.CudaDriver.cuCtxSetCurrent(0));
        device.Fill32(x, 0x40400000u, 4);   // 3.0f
        Assert.That(Read(device, x, 4), Is.All.EqualTo(3f));
    }

    [Test]
    public void KernelWithASyntaxErrorRaisesWithTheNvrtcLog()
    {
        GpuRequirement.RequireGpu();
        using var device = Open();
        var broken = new KernelFile("broken.cu", "extern \"C\" __global__ void broken_fwd_f32(float* x) { x[0] = ; }\n");
        var e = Assert.Throws<KernelCompilationException>(() => device.LoadModule(broken, []))!;
        Assert.That(e.Log, Does.Contain("error"));
        Assert.That(e.Message, Does.Contain("broken.cu").And.Contain($"sm_{device.ComputeCapability}"));
    }

    [Test]
    public void DisposeFreesWhatIsStillAllocated()
    {
        GpuRequirement.RequireGpu();
        using var probe = Open();
        var device = Open(loadKernels: true);
        device.Synchronize();
        long before = probe.MemoryInfo().Free;
        for (int i = 0; i < 8; i++) device.Allocate(64L << 20);
        Assert.That(probe.MemoryInfo().Free, Is.LessThan(before - (400L << 20)));
        device.Dispose();
        Assert.That(probe.MemoryInfo().Free, Is.GreaterThanOrEqualTo(before - (2L << 20)));
        Assert.That(() => device.Allocate(4), Throws.InstanceOf<ObjectDisposedException>());
    }
}
