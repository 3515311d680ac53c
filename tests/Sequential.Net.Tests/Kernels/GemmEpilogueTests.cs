using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using static SequentialNet.Tests.Kernels.KernelTestUtil;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// The fused Dense forward C = f(A·B + bias) of the CPU backend: bitwise equal to Gemm, then the bias row
/// broadcast, then the activation, in every GEMM path (direct, transposed-C for narrow n, several row, column
/// and k blocks), at every thread count, and nothing outside C written.
/// </summary>
[TestFixture, NonParallelizable]
public class GemmEpilogueTests
{
    private int _savedOverride;

    [SetUp]
    public void SaveThreadCount() => _savedOverride = CpuWorkers.ThreadCount == CpuWorkers.DefaultThreadCount ? 0 : CpuWorkers.ThreadCount;

    [TearDown]
    public void RestoreThreadCount() => CpuWorkers.ThreadCount = _savedOverride;

    public static IEnumerable<TestCaseData> Shapes()
    {
        foreach (var (m, n, k) in new[] { (32, 128, 784), (32, 10, 128), (128, 10, 784), (7, 13, 17), (1, 1, 1), (200, 600, 300), (1000, 128, 784), (3, 5, 0), (0, 4, 3) })
            foreach (int threads in new[] { 1, 2, 3 })
                yield return new TestCaseData(m, n, k, threads).SetName($"Fused_EqualsSeparatePasses({m}x{n}x{k}, {threads} threads)");
    }

    [TestCaseSource(nameof(Shapes))]
    public void Fused_EqualsSeparatePasses(int m, int n, int k, int threads)
    {
        CpuWorkers.ThreadCount = threads;
        Check(new Relu(), m, n, k);
        Check(new Identity(), m, n, k);
        Check(new LeakyRelu(0.3f), m, n, k);
        Check(new Sigmoid(), m, n, k);
    }

    private static void Check<TOp>(TOp op, int m, int n, int k) where TOp : struct, IUnaryOp
    {
        var rng = new Random(m * 31 + n * 7 + k);
        float[] a = RandomArray(rng, m * k, -1f, 1f), b = RandomArray(rng, k * n, -1f, 1f), bias = RandomArray(rng, n, -0.5f, 0.5f);
        using var backend = new CpuBackend();
        DeviceBuffer ba = backend.Allocate(Math.Max(1, m * k)), bb = backend.Allocate(Math.Max(1, k * n)), bbias = backend.Allocate(Math.Max(1, n));
        backend.Upload(a, backend.View(ba, 0, m * k));
        backend.Upload(b, backend.View(bb, 0, k * n));
        backend.Upload(bias, backend.View(bbias, 0, n));
        const int guard = 37;   // poisoned floats after C
        DeviceBuffer fused = backend.Allocate(m * n + guard), separate = backend.Allocate(m * n + guard);
        backend.Upload(Poisoned(m * n + guard), fused);
        backend.Upload(Poisoned(m * n + guard), separate);
        DeviceBuffer fusedC = backend.View(fused, 0, m * n), separateC = backend.View(separate, 0, m * n);

        backend.GemmBiasActivation(op, m, n, k, ba, bb, bbias, fusedC);
        if (k == 0) backend.Fill(separateC, 0f);   // the plain Gemm wants lda = k ≥ 1
        else backend.Gemm(false, false, m, n, k, 1f, ba, bb, 0f, separateC);
        backend.BinaryRowBroadcast(new Add(), separateC, bbias, separateC, m, n);
        backend.Unary(op, separateC, separateC);

        float[] f = new float[m * n + guard], s = new float[m * n + guard];
        backend.Download(fused, f);
        backend.Download(separate, s);
        for (int i = 0; i < m * n; i++)
            if (BitConverter.SingleToInt32Bits(f[i]) != BitConverter.SingleToInt32Bits(s[i]) || IsPoison(f[i]))
                Assert.Fail($"{op.Kernel} {m}x{n}x{k}: element ({i / n}, {i % n}) fused {f[i]:R}, separate {s[i]:R}");
        for (int i = m * n; i < f.Length; i++) Assert.That(IsPoison(f[i]), $"{op.Kernel}: element {i} past C was written");
    }
}
