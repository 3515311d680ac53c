using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Graph;
using SequentialNet.Tests.Graph;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The emulated side of the IGpuDevice seam: memory bookkeeping and poisoning, range checks, the
/// column-major SGEMM mapping, and capture/replay (also of whole op-case plans through CudaBackend).
/// </summary>
[Category("Emulated")]
public class EmulatedDeviceTests
{
    [SetUp]
    public void SetUp() => RequireEmulator();

    [Test]
    public void AllocationsArePoisonedAlignedAndCounted()
    {
        using var device = new EmulatedDevice(capacityBytes: 1 << 20);
        ulong a = device.Allocate(1000), b = device.Allocate(0);
        Assert.That(a % 256, Is.EqualTo(0ul));
        Assert.That(Download<float>(device, a, 250), Is.All.NaN, "new memory reads as NaN");
        Assert.That(Download<int>(device, a, 250), Is.All.EqualTo(-1));
        Assert.That(device.MemoryInfo(), Is.EqualTo(((1L << 20) - 1004, 1L << 20)), "Allocate(0) takes 4 bytes, as on the driver device");
        device.Free(a);
        device.Free(b);
        Assert.That(device.LiveAllocations, Is.Zero);
        Assert.That(device.MemoryInfo().Free, Is.EqualTo(1L << 20));
        Assert.Throws<ArgumentException>(() => device.Free(a), "double free");
        Assert.Throws<InvalidOperationException>(() => device.Allocate(2 << 20), "past the nominal capacity");
    }

    [Test]
    public void CopiesFillsAndTheirRangeChecks()
    {
        using var device = new EmulatedDevice();
        ulong a = Upload(device, new[] { 1, 2, 3, 4, 5, 6 }), b = Poisoned<int>(device, 6);
        device.CopyOnDevice(b, a + 8, 12);
        device.Fill32(b + 12, 0x7u, 3);
        Assert.That(Download<int>(device, b, 6), Is.EqualTo(new[] { 3, 4, 5, 7, 7, 7 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => device.CopyOnDevice(b, a + 4, 24), "source past its allocation");
        Assert.Throws<ArgumentOutOfRangeException>(() => device.Fill32(b + 4, 0, 6), "fill past the allocation");
        Assert.Throws<ArgumentOutOfRangeException>(() => device.CopyToHost(12345, new byte[4]), "not device memory");
        device.Free(a);
        Assert.Throws<ArgumentOutOfRangeException>(() => device.CopyToDevice(a, new byte[4]), "freed memory");
    }

    /// <summary>Column-major C(m,n) = α·op(A)·op(B) + β·C with leading dimensions larger than the rows, against a naive loop.</summary>
    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public void SgemmColumnMajorMatchesTheDefinition(bool transA, bool transB)
    {
        const int m = 5, n = 7, k = 3, pad = 2;
        const float alpha = 1.5f, beta = -0.5f;
        int rowsA = transA ? k : m, colsA = transA ? m : k, rowsB = transB ? n : k, colsB = transB ? k : n;
        int lda = rowsA + pad, ldb = rowsB + pad, ldc = m + pad;
        float[] a = RandomFloats(lda * colsA, 1), b = RandomFloats(ldb * colsB, 2), c = RandomFloats(ldc * n, 3);
        float A(int i, int p) => transA ? a[p + i * lda] : a[i + p * lda];   // op(A)[i, p]
        float B(int p, int j) => transB ? b[j + p * ldb] : b[p + j * ldb];   // op(B)[p, j]
        var expected = (float[])c.Clone();
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)A(i, p) * B(p, j);
                expected[i + j * ldc] = (float)(alpha * s + beta * c[i + j * ldc]);
            }
        using var device = new EmulatedDevice();
        ulong pa = Upload(device, a), pb = Upload(device, b), pc = Upload(device, c);
        device.SgemmColumnMajor(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        Assert.That(Download<float>(device, pc, c.Length), Is.EqualTo(expected).Within(1e-5f), "padding rows between the columns are left alone too");
        Assert.Throws<ArgumentOutOfRangeException>(() => device.SgemmColumnMajor(transA, transB, m, n, k, alpha, pa, rowsA - 1, pb, ldb, beta, pc, ldc), "lda < rows of A");
    }

    [Test]
    public void CaptureRecordsArgumentValuesAndReplays()
    {
        using var device = new EmulatedDevice();
        const int n = 300;
        float[] x = RandomFloats(n, 4);
        ulong px = Upload(device, x), py = Poisoned<float>(device, n), pz = Poisoned<float>(device, n);
        device.BeginCapture();
        Launch(device, "emu_scale_one_per_thread", new Dim3(3), new Dim3(128), 0, px, py, n, 2f);   // the argument memory is gone after this call
        device.CopyOnDevice(pz, py, n * 4);
        device.Fill32(py, BitConverter.SingleToUInt32Bits(-1f), 10);
        Assert.Throws<InvalidOperationException>(() => device.CopyToHost(py, new byte[4]), "no host copy inside a capture");
        Assert.Throws<InvalidOperationException>(() => device.Synchronize(), "no wait inside a capture");
        Assert.Throws<InvalidOperationException>(() => device.Allocate(16), "no allocation inside a capture");
        nint capture = device.EndCapture();
        Assert.That(Download<float>(device, py, n), Is.All.NaN, "captured work does not run");
        for (int replay = 0; replay < 2; replay++)
        {
            device.Replay(capture);
            float[] y = Download<float>(device, py, n), z = Download<float>(device, pz, n);
            for (int i = 0; i < n; i++)
            {
                Assert.That(z[i], Is.EqualTo(2f * x[i]));
                Assert.That(y[i], Is.EqualTo(i < 10 ? -1f : 2f * x[i]));
            }
        }
        device.DestroyCapture(capture);
        Assert.Throws<ArgumentException>(() => device.Replay(capture));
        Assert.That(device.LiveCaptures, Is.Zero);
    }

    public static IEnumerable<OpCase> Cases => OpCases.All();

    /// <summary>
    /// Each op case's whole plan (forward and backward) recorded through CudaBackend and replayed twice: the
    /// launchers must be capturable (no host copy, wait or allocation while a step runs) and the replay must
    /// reproduce the CPU's values.
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void CapturedOpPlanReplaysLikeTheCpu(OpCase opCase)
    {
        var b = opCase.Build(seed: 99);
        var expected = BackendRunner.Run(new CpuBackend(), b, seed: 42, rngStep: 3);
        using var backend = new CudaBackend(new EmulatedDevice());
        var state = new ModelState(backend, 42);
        backend.SetCounter(state.Counters, StateSlots.OptimizerStep, 3);
        var bound = new Dictionary<Node, DeviceBuffer>();
        foreach (var (node, values) in b.Feeds)
        {
            bound[node] = backend.Allocate(values.Length);
            backend.Upload(values.Select(v => (float)v).ToArray(), bound[node]);
        }
        var sinks = b.Graph.Nodes.Where(n => !n.Op.HasSideEffects).ToArray();
        var arena = backend.Allocate(ExecutionPlan.ArenaLength(b.Graph.Nodes, sinks, bound, 1));
        var plan = ExecutionPlan.Lower(backend, b.Graph.Nodes, sinks, bound, arena, backend.Allocate(0), state, 1);
        backend.BeginCapture();
        plan.Run(backend);
        nint capture = backend.EndCapture();
        for (int replay = 0; replay < 2; replay++)
        {
            backend.Fill(arena, float.NaN);
            backend.Replay(capture);
            var actual = sinks.Where(n => !b.Feeds.ContainsKey(n)).ToDictionary(n => n, n =>
            {
                var values = new float[n.Size(1)];
                backend.Download(plan.Buffers[n], values);
                return values;
            });
            var problems = Parity.Mismatches($"{opCase.Name} replay {replay}", expected, actual);
            Assert.That(problems, Is.Empty, string.Join("\n", problems));
        }
        backend.DestroyCapture(capture);
    }
}
