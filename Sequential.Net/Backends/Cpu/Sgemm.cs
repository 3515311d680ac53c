using System.Runtime.InteropServices;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// Row-major single-precision GEMM: C(m,n) = alpha·op(A)·op(B) + beta·C, the hot path of the CPU backend
/// (Dense forward x·W, backward dy·Wᵀ and xᵀ·dy).
/// <para>
/// BLIS-style: for each k-block of at most <see cref="KcMax"/> (k is cut into equal blocks, e.g. 784 → 4×196)
/// and column block of at most <see cref="NcMax"/>, op(B) is packed into 32-column micro-panels; for each row
/// block of at most <see cref="McMax"/>, op(A) is packed into 8-row micro-panels; an 8×32 register-blocked
/// FMA micro-kernel (AVX-512; AVX2 and scalar fallbacks) then sweeps the tiles. Pack buffers are 64-byte
/// aligned native memory, allocated once per thread, so calls allocate nothing after warm-up.
/// </para>
/// <para>
/// Every C element is one FMA chain over k in a fixed order, split only at the k-block boundaries (a function
/// of k alone), then combined with alpha and beta by the same formulas in every path. Results are therefore
/// bitwise independent of the tiling, of the instruction set path, and of the thread partition.
/// <see cref="Run"/> splits C into a grid of blocks fixed by (m, n, k, thread count), one block per part.
/// </para>
/// </summary>
internal static unsafe partial class Sgemm
{
    /// <summary>Rows per register tile (packed Ã panel height).</summary>
    internal const int MR = 8;
    /// <summary>Columns per register tile (packed B̃ panel width): two 16-float vectors.</summary>
    internal const int NR = 32;
    /// <summary>Largest k-block: Ã micro-panel 8×256×4 B = 8 KB stays in L1 while B̃ panels stream from L2.</summary>
    internal const int KcMax = 256;
    /// <summary>Largest row block: Ã block 128×256×4 B = 128 KB, in L2.</summary>
    internal const int McMax = 128;
    /// <summary>Largest column block: B̃ block 256×512×4 B = 512 KB, in L2 (1 MB on Zen 4).</summary>
    internal const int NcMax = 512;

    /// <summary>Below this many multiply-adds (m·n·k) a call stays on the calling thread: ~5 µs of work, about
    /// the cost of waking a worker.</summary>
    internal const long ParallelThreshold = 1L << 18;

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C, parallel over <see cref="CpuWorkers"/> when m·n·k is large enough.
    /// op(A) is (m,k): A is (m,k) with row stride <paramref name="lda"/>, or (k,m) when <paramref name="transA"/>.
    /// op(B) is (k,n): B is (k,n) with row stride <paramref name="ldb"/>, or (n,k) when <paramref name="transB"/>.
    /// beta = 0 overwrites C without reading it (NaN in C does not leak).
    /// </summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        Validate(transA, transB, m, n, k, lda, ldb, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        int threads = CpuWorkers.ThreadCount;
        long work = (long)m * n * k;
        if (threads <= 1 || work < ParallelThreshold)
        {
            Blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        GemmJob job = t_job ??= new GemmJob();
        job.Set(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads);
        try
        {
            CpuWorkers.Run(job, job.Parts);
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>Same as <see cref="Run"/>, always on the calling thread.</summary>
    public static void RunSingleThreaded(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        Validate(transA, transB, m, n, k, lda, ldb, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        Blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void Validate(bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Sgemm: dimensions must be >= 0. Received: m={m}, n={n}, k={k}.");
        int minLda = Math.Max(1, transA ? m : k), minLdb = Math.Max(1, transB ? k : n), minLdc = Math.Max(1, n);
        if (lda < minLda || ldb < minLdb || ldc < minLdc)
            throw new ArgumentOutOfRangeException(nameof(lda),
                $"Sgemm: leading dimensions too small. Expected lda >= {minLda}, ldb >= {minLdb}, ldc >= {minLdc}. Received: lda={lda}, ldb={ldb}, ldc={ldc}.");
    }

    /// <summary>C = beta·C (the whole product vanishes: k = 0 or alpha = 0); beta = 0 writes zeros.</summary>
    private static void ScaleC(int m, int n, float beta, float* c, nint ldc)
    {
        for (int i = 0; i < m; i++)
        {
            float* row = c + i * ldc;
            if (beta == 0f) new Span<float>(row, n).Clear();
            else if (beta != 1f) SimdKernels.Scale(beta, row, row, n);
        }
    }

    /// <summary>
    /// The single-threaded blocked algorithm. When n is narrow and m is not (e.g. 128×10: the 10 columns would
    /// fill only 10 of 16 vector lanes), it solves Cᵀ = op(B)ᵀ·op(A)ᵀ instead, so the vectors run along m,
    /// and scatters the tiles back transposed. Each element is still the same FMA chain (a·b = b·a exactly).
    /// </summary>
    private static void Blocked(bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        if (PaddedColumns(n) * (long)m > 5 * PaddedColumns(m) * (long)n / 4)
            BlockedCore(!transB, !transA, n, m, k, alpha, b, ldb, a, lda, beta, c, ldc, transC: true);
        else
            BlockedCore(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, transC: false);
    }

    /// <summary>Columns the kernels compute for n columns: 32-wide panels, the last one 16 wide if it fits.</summary>
    private static int PaddedColumns(int n) => n / NR * NR + (n % NR == 0 ? 0 : n % NR <= 16 ? 16 : NR);

    /// <summary>
    /// The BLIS loop nest: column blocks (NcMax) → k-blocks (KcMax, pack B̃) → row blocks (McMax, pack Ã) →
    /// 8-row micro-panels → 32-column tiles. <paramref name="transC"/>: C is stored transposed (element (i,j) at
    /// c[j·ldc + i]).
    /// </summary>
    private static void BlockedCore(bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc, bool transC)
    {
        Scratch scratch = Scratch.ForCurrentThread();
        float* tmp = stackalloc float[MR * NR];
        int kBlocks = (k + KcMax - 1) / KcMax;
        int kcStd = (k + kBlocks - 1) / kBlocks;
        for (int jc = 0; jc < n; jc += NcMax)
        {
            int nc = Math.Min(NcMax, n - jc);
            for (int pc = 0; pc < k; pc += kcStd)
            {
                int kc = Math.Min(kcStd, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;   // later k-blocks accumulate onto the first
                PackB(transB, b, ldb, pc, kc, jc, nc, scratch.B);
                for (int ic = 0; ic < m; ic += McMax)
                {
                    int mc = Math.Min(McMax, m - ic);
                    PackA(transA, a, lda, ic, mc, pc, kc, scratch.A);
                    float* cBlock = transC ? c + jc * ldc + ic : c + ic * ldc + jc;
                    Macro(mc, nc, kc, scratch.A, scratch.B, cBlock, ldc, alpha, betaBlock, tmp, transC);
                }
            }
        }
    }

    /// <summary>All tiles of one (mc × nc) block over one k-block: each Ã micro-panel stays in L1 while the B̃ panels stream past it.</summary>
    private static void Macro(int mc, int nc, int kc, float* ap, float* bp, float* c, nint ldc, float alpha, float beta, float* tmp, bool transC)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int rows = Math.Min(MR, mc - ir);
            float* aPanel = ap + ir * kc;
            for (int jr = 0; jr < nc; jr += NR)
            {
                int cols = Math.Min(NR, nc - jr);
                if (transC)
                    TileTransposed(rows, cols, kc, aPanel, bp + jr * kc, c + jr * ldc + ir, ldc, alpha, beta, tmp);
                else
                    Tile(rows, cols, kc, aPanel, bp + jr * kc, c + ir * ldc + jr, ldc, alpha, beta, tmp);
            }
        }
    }

    /// <summary>Per-thread pack buffers: native, 64-byte aligned, allocated on a thread's first GEMM and freed when the thread dies.</summary>
    private sealed class Scratch
    {
        public readonly float* A = (float*)NativeMemory.AlignedAlloc((nuint)McMax * KcMax * sizeof(float), 64);
        public readonly float* B = (float*)NativeMemory.AlignedAlloc((nuint)KcMax * NcMax * sizeof(float), 64);

        [ThreadStatic] private static Scratch? t_current;

        public static Scratch ForCurrentThread() => t_current ??= new Scratch();

        ~Scratch()
        {
            NativeMemory.AlignedFree(A);
            NativeMemory.AlignedFree(B);
        }
    }

    [ThreadStatic] private static GemmJob? t_job;
}
