using SequentialNet.Backends.Cpu;
using static SequentialNet.Tests.Kernels.KernelTestUtil;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// Sgemm against a float64 naive reference: all four transpose combinations × edge and MLP shapes ×
/// alpha/beta variants × tight and padded leading dimensions (padding poisoned with NaN, so any read or
/// write outside the matrices shows). Shapes are written (m, n, k): C is m×n, the inner dimension is k.
/// </summary>
[TestFixture, NonParallelizable]
public unsafe class SgemmTests
{
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (7, 13, 5), (33, 65, 17),
        (1, 128, 784),      // one sample through Dense(784 → 128)
        (32, 128, 784),     // batch 32 through Dense(784 → 128)
        (784, 128, 32),     // weight gradient xᵀ·dy with batch 32
        (128, 10, 128),     // Dense(128 → 10): narrow n, solved transposed internally
        (257, 129, 300),    // every edge: m > 128 row block, 16- and 1-wide column tails, 2 uneven k-blocks
        (9, 600, 40),       // n > the 512-column block
        (16, 40, 259),      // a 32 + 8 column edge, k just past one 256 block
        (5, 48, 3),         // tiny k, a 32 + 16 column split
    ];

    private static readonly (float Alpha, float Beta)[] AlphaBetas = [(1f, 0f), (0.5f, 0f), (1f, 1f), (-1.5f, 0.25f), (0f, 0.5f), (0f, 0f)];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    yield return new TestCaseData(ta, tb, m, n, k).SetName($"Sgemm({(ta ? "T" : "N")}{(tb ? "T" : "N")}, m={m}, n={n}, k={k})");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesFloat64Reference(bool transA, bool transB, int m, int n, int k)
    {
        var rng = new Random(m * 7919 + n * 31 + k + (transA ? 1 : 0) + (transB ? 2 : 0));
        foreach (int pad in new[] { 0, 3 })
            foreach (var (alpha, beta) in AlphaBetas)
                foreach (bool multi in new[] { false, true })
                {
                    var p = Problem.Create(rng, transA, transB, m, n, k, pad, alpha, beta);
                    p.Run(multi ? 2 : 1);
                    p.AssertMatchesReference($"pad={pad} alpha={alpha} beta={beta} threads={(multi ? 2 : 1)}");
                }
    }

    [Test]
    public void AlphaZeroBetaZero_WritesZerosOverNaN()
    {
        var p = Problem.Create(new Random(3), false, false, 9, 17, 5, 2, 0f, 0f);
        p.Run(1);
        p.AssertMatchesReference("alpha=0 beta=0");
        for (int i = 0; i < p.M; i++)
            for (int j = 0; j < p.N; j++) Assert.That(p.C[i * p.Ldc + j], Is.EqualTo(0f));
    }

    [TestCase(false, false, 257, 129, 300)]
    [TestCase(true, false, 784, 128, 32)]
    [TestCase(false, true, 32, 784, 128)]
    [TestCase(true, true, 100, 70, 600)]
    [TestCase(false, false, 1000, 10, 64)]
    public void SameInputsTwice_GiveBitwiseIdenticalResults(bool transA, bool transB, int m, int n, int k)
    {
        var rng = new Random(5);
        var p = Problem.Create(rng, transA, transB, m, n, k, 0, 1f, 0f);
        p.Run(2);
        float[] first = (float[])p.C.Clone();
        p.ResetC();
        p.Run(2);
        Assert.That(p.C, Is.EqualTo(first).AsCollection);
    }

    public static IEnumerable<TestCaseData> ParallelCases()
    {
        (bool, bool, int, int, int)[] shapes =
        [
            (false, false, 32, 128, 784), (true, false, 784, 128, 128), (false, true, 128, 784, 128),
            (true, true, 257, 129, 300), (false, false, 1000, 10, 64), (false, false, 512, 512, 512),
        ];
        foreach (int threads in new[] { 2, 3, 4 })
            foreach (var (ta, tb, m, n, k) in shapes)
                yield return new TestCaseData(threads, ta, tb, m, n, k);
    }

    [TestCaseSource(nameof(ParallelCases))]
    public void MultiThreaded_AgreesWithSingleThreaded(int threads, bool transA, bool transB, int m, int n, int k)
    {
        var p = Problem.Create(new Random(6), transA, transB, m, n, k, 1, 0.75f, 0.5f);
        p.Run(1);
        float[] single = (float[])p.C.Clone();
        p.ResetC();
        p.Run(threads);
        p.AssertMatchesReference($"threads={threads}");
        // Every element is the same FMA chain whatever the partition (see Sgemm's remarks), so the results
        // are in fact bitwise equal, which is stronger than the tolerance check above.
        Assert.That(p.C, Is.EqualTo(single).AsCollection, "multi-threaded result differs bitwise from single-threaded");
    }

    [TestCase(8, 16, 8)]          // single-threaded path
    [TestCase(32, 128, 784)]      // parallel path on 2 threads
    [TestCase(784, 128, 32)]
    public void RepeatedCalls_AllocateNothing(int m, int n, int k)
    {
        var p = Problem.Create(new Random(8), false, false, m, n, k, 0, 1f, 0f);
        int saved = CpuWorkers.ThreadCount;
        try
        {
            CpuWorkers.ThreadCount = 2;
            for (int i = 0; i < 10; i++) p.RunRaw();   // warm-up: pools, per-thread buffers, JIT
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++) p.RunRaw();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(allocated, Is.EqualTo(0), "bytes allocated by 100 Sgemm.Run calls after warm-up");
        }
        finally
        {
            CpuWorkers.ThreadCount = saved == CpuWorkers.DefaultThreadCount ? 0 : saved;
        }
    }

    [Test]
    public void RejectsTooSmallLeadingDimensions()
    {
        float[] buf = new float[64];
        fixed (float* p = buf)
        {
            float* q = p;
            Assert.Throws<ArgumentOutOfRangeException>(() => Sgemm.Run(false, false, 4, 4, 4, 1f, q, 3, q, 4, 0f, q, 4));
            Assert.Throws<ArgumentOutOfRangeException>(() => Sgemm.Run(true, false, 4, 5, 3, 1f, q, 3, q, 5, 0f, q, 5));
            Assert.Throws<ArgumentOutOfRangeException>(() => Sgemm.RunSingleThreaded(false, true, 4, 5, 3, 1f, q, 3, q, 2, 0f, q, 5));
            Assert.Throws<ArgumentOutOfRangeException>(() => Sgemm.Run(false, false, 4, 5, 3, 1f, q, 3, q, 5, 0f, q, 4));
        }
    }

    /// <summary>One GEMM problem: padded operands (padding = NaN poison), an initial C, and the float64 truth.</summary>
    private sealed class Problem
    {
        public bool TransA, TransB;
        public int M, N, K, Lda, Ldb, Ldc;
        public float Alpha, Beta;
        public float[] A = [], B = [], C = [], C0 = [];

        public static Problem Create(Random rng, bool transA, bool transB, int m, int n, int k, int pad, float alpha, float beta)
        {
            var p = new Problem { TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta };
            int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
            p.Lda = aCols + pad; p.Ldb = bCols + pad; p.Ldc = n + pad;
            p.A = Matrix(rng, aRows, aCols, p.Lda, -1f, 1f);
            p.B = Matrix(rng, bRows, bCols, p.Ldb, -1f, 1f);
            // beta = 0 must overwrite C without reading it: start from NaN so a read would show.
            p.C0 = beta == 0f ? Poisoned(m * p.Ldc) : Matrix(rng, m, n, p.Ldc, -1f, 1f);
            p.C = (float[])p.C0.Clone();
            return p;
        }

        private static float[] Matrix(Random rng, int rows, int cols, int ld, float lo, float hi)
        {
            float[] x = Poisoned(Math.Max(1, rows * ld));
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) x[i * ld + j] = NextNonZero(rng, lo, hi);
            return x;
        }

        public void ResetC() => C = (float[])C0.Clone();

        public void Run(int threads)
        {
            int saved = CpuWorkers.ThreadCount;
            try
            {
                CpuWorkers.ThreadCount = threads;
                if (threads == 1) RunSingle();
                else RunRaw();
            }
            finally
            {
                CpuWorkers.ThreadCount = saved == CpuWorkers.DefaultThreadCount ? 0 : saved;
            }
        }

        public void RunRaw()
        {
            fixed (float* a = A, b = B, c = C)
                Sgemm.Run(TransA, TransB, M, N, K, Alpha, a, Lda, b, Ldb, Beta, c, Ldc);
        }

        private void RunSingle()
        {
            fixed (float* a = A, b = B, c = C)
                Sgemm.RunSingleThreaded(TransA, TransB, M, N, K, Alpha, a, Lda, b, Ldb, Beta, c, Ldc);
        }

        public void AssertMatchesReference(string what)
        {
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++)
                {
                    double sum = 0, magnitude = 0;
                    for (int p = 0; p < K; p++)
                    {
                        double prod = (double)(TransA ? A[p * Lda + i] : A[i * Lda + p]) * (TransB ? B[j * Ldb + p] : B[p * Ldb + j]);
                        sum += prod;
                        magnitude += Math.Abs(prod);
                    }
                    double c0 = Beta == 0f ? 0.0 : C0[i * Ldc + j];
                    double expected = Alpha * sum + Beta * c0;
                    double scale = Math.Abs(Alpha) * magnitude + Math.Abs(Beta * c0);
                    // Tolerance: the result can cancel to ~0, so the rounding error is measured against the
                    // magnitude S = |alpha|·Σ|a·b| + |beta·c0|, not |expected|. A float32 FMA chain of length k has
                    // error ~√k·ε·S for random rounding (ε = 6e-8) and at most k·ε·S; 1e-6·√k·S is ~16× the
                    // random-walk estimate, yet far below the error of a single wrong or missing term (~S/k for
                    // every k < 10⁴), so indexing bugs cannot hide in it.
                    double tol = 1e-5 + 1e-6 * Math.Sqrt(K) * scale;
                    float actual = C[i * Ldc + j];
                    if (double.IsNaN(actual) || Math.Abs(actual - expected) > tol)
                        Assert.Fail($"{Describe()} {what}: C[{i},{j}] = {actual:R}, expected {expected:R} (tolerance {tol:E2})");
                }
            for (int i = 0; i < M; i++)
                for (int j = N; j < Ldc; j++)
                    if (!IsPoison(C[i * Ldc + j]))
                        Assert.Fail($"{Describe()} {what}: padding C[{i},{j}] was written");
        }

        private string Describe() => $"Sgemm({(TransA ? "T" : "N")}{(TransB ? "T" : "N")}, m={M}, n={N}, k={K}, lda={Lda}, ldb={Ldb}, ldc={Ldc})";
    }
}
