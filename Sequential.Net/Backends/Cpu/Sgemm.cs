using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// Row-major single-precision GEMM: C(m,n) = alpha·op(A)·op(B) + beta·C, the hot path of the CPU backend
/// (Dense forward x·W, backward dy·Wᵀ and xᵀ·dy).
/// <para>
/// BLIS-style: for each k-block of at most <see cref="KcMax"/> (k is cut into equal blocks, e.g. 784 → 4×196)
/// and column block of at most <see cref="NcMax"/>, op(B) is packed into 32-column micro-panels; for each row
/// block of at most <see cref="McMax"/>, op(A) is packed into 8-row micro-panels; an 8×32 register-blocked
/// FMA micro-kernel (AVX-512; AVX2 and scalar fallbacks) then sweeps the tiles. Operands whose layout already
/// suits the kernel are read in place instead of packed (see <see cref="BlockedCore"/>), and some shapes are
/// solved transposed (see <see cref="Blocked"/>). Pack buffers are 64-byte aligned native memory, allocated
/// once per thread, so calls allocate nothing after warm-up.
/// </para>
/// <para>
/// Measured on one Zen 4 core (AVX-512, ~116 GFLOP/s kernel peak), single thread, in GFLOP/s: forward
/// 32×784×128 111–116, 784×128 (k = 128, A transposed) 109–111, 32×784 (k = 128, B transposed) 110,
/// 1024³ 104–108; OpenBLAS 0.3.21 on the same core: 85, 100, 78, 100. Two threads scale to 207–220.
/// </para>
/// <para>
/// Every C element is one FMA chain over k in a fixed order, split only at the k-block boundaries (a function
/// of k alone), then combined with alpha and beta by the same formulas in every path. Results are therefore
/// bitwise independent of the tiling, of the instruction set path, and of the thread partition.
/// <c>Run</c> splits C into a grid of blocks fixed by (m, n, k, thread count), one block per part.
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
        => Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmEpilogue.None);

    /// <summary>
    /// <see cref="Run(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int)"/>, then
    /// <paramref name="epilogue"/> (bias and activation) applied to each block of C right after its last k-block,
    /// while the block is still in cache. Each element gets the same float operations as separate passes would.
    /// </summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, in GemmEpilogue epilogue)
    {
        Validate(transA, transB, m, n, k, lda, ldb, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            if (!epilogue.IsNone) epilogue.Apply(c, ldc, m, n, epilogue.Bias);
            return;
        }
        int threads = CpuWorkers.ThreadCount;
        long work = (long)m * n * k;
        if (threads <= 1 || work < ParallelThreshold)
        {
            Blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
            return;
        }
        GemmJob job = t_job ??= new GemmJob();
        job.Set(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, epilogue);
        try
        {
            CpuWorkers.Run(job, job.Parts);
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>Same as <see cref="Run(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int, in GemmEpilogue)"/>, always on the calling thread.</summary>
    public static void RunSingleThreaded(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, in GemmEpilogue epilogue = default)
    {
        Validate(transA, transB, m, n, k, lda, ldb, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            if (!epilogue.IsNone) epilogue.Apply(c, ldc, m, n, epilogue.Bias);
            return;
        }
        Blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
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
    /// The single-threaded blocked algorithm. It solves the transposed problem Cᵀ = op(B)ᵀ·op(A)ᵀ (vectors then
    /// run along m, tiles are written back transposed) in two cases:
    /// <list type="bullet">
    /// <item>n is narrow and m is not, e.g. 128×10: the 10 columns would fill only 10 of 16 vector lanes;</item>
    /// <item>B is transposed, A is not, and m &lt; n, e.g. the backward dy·Wᵀ with dy (32×128), W (784×128): the
    /// direct problem must transpose all of W while packing (15% of the call); the swapped one reads W in
    /// place and transposes only dy (32×128) and the output tiles.</item>
    /// </list>
    /// Each element is still the same FMA chain (a·b = b·a exactly), so the choice never changes a result.
    /// </summary>
    private static void Blocked(bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc, in GemmEpilogue epilogue)
    {
        bool narrowN = PaddedColumns(n) * (long)m > 5 * PaddedColumns(m) * (long)n / 4;
        bool swapNt = transB && !transA && m < n && Vector512.IsHardwareAccelerated;
        if (narrowN || swapNt)
            BlockedCore(!transB, !transA, n, m, k, alpha, b, ldb, a, lda, beta, c, ldc, transC: true, epilogue);
        else
            BlockedCore(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, transC: false, epilogue);
    }

    /// <summary>Columns the kernels compute for n columns: 32-wide panels, the last one 16 wide if it fits.</summary>
    private static int PaddedColumns(int n) => n / NR * NR + (n % NR == 0 ? 0 : n % NR <= 16 ? 16 : NR);

    /// <summary>
    /// The BLIS loop nest: column blocks (NcMax) → k-blocks (KcMax, pack B̃) → row blocks (McMax, pack Ã) →
    /// 8-row micro-panels → 32-column tiles. <paramref name="transC"/>: C is stored transposed (element (i,j) at
    /// c[j·ldc + i]).
    /// <para>
    /// Packing is skipped where the original layout already suits the kernel: A not transposed is read in
    /// place by the AVX-512 "direct" kernels (8 row streams), and B not transposed with a short row
    /// (ldb ≤ <see cref="DirectBMaxLd"/>) is read in place for its full-width panels. For the forward pass
    /// (32×784)·(784×128) that saves copying the whole 400 KB weight matrix on every call, which, with its
    /// packed copy, no longer fits the 1 MB L2 (measured: 12% of the call).
    /// </para>
    /// <para>
    /// The <paramref name="epilogue"/> runs on each (mc × nc) block of C after its last k-block (at most
    /// 128 × 512 floats, still in L2; 32 × 64 for the 2-thread Dense forward, in L1). Its bias is indexed by the
    /// columns of the stored C, which are the rows of the solved problem when <paramref name="transC"/>.
    /// </para>
    /// </summary>
    private static void BlockedCore(bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc, bool transC, in GemmEpilogue epilogue)
    {
        Scratch scratch = Scratch.ForCurrentThread();
        float* tmp = stackalloc float[MR * NR];
        bool directA = !transA && Vector512.IsHardwareAccelerated;
        bool directB = !transB && ldb <= DirectBMaxLd;
        int kBlocks = (k + KcMax - 1) / KcMax;
        int kcStd = (k + kBlocks - 1) / kBlocks;
        for (int jc = 0; jc < n; jc += NcMax)
        {
            int nc = Math.Min(NcMax, n - jc);
            for (int pc = 0; pc < k; pc += kcStd)
            {
                int kc = Math.Min(kcStd, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;   // later k-blocks accumulate onto the first
                PackB(transB, b, ldb, pc, kc, jc, nc, scratch.B, edgeOnly: directB);
                var bBlock = new Operand(directB ? b + pc * ldb + jc : scratch.B, directB ? ldb : 0);
                for (int ic = 0; ic < m; ic += McMax)
                {
                    int mc = Math.Min(McMax, m - ic);
                    if (!directA) PackA(transA, a, lda, ic, mc, pc, kc, scratch.A);
                    var aBlock = new Operand(directA ? a + ic * lda + pc : scratch.A, directA ? lda : 0);
                    float* cBlock = transC ? c + jc * ldc + ic : c + ic * ldc + jc;
                    Macro(mc, nc, kc, aBlock, bBlock, scratch.B, cBlock, ldc, alpha, betaBlock, tmp, transC);
                    if (!epilogue.IsNone && pc + kc == k)
                    {
                        if (transC) epilogue.Apply(cBlock, ldc, nc, mc, epilogue.Bias + ic);   // stored rows jc.., columns ic..
                        else epilogue.Apply(cBlock, ldc, mc, nc, epilogue.Bias + jc);
                    }
                }
            }
        }
    }

    /// <summary>An operand block: packed panels (Stride = 0) or the original rows with that row stride.</summary>
    private readonly struct Operand(float* origin, nint stride)
    {
        public readonly float* Origin = origin;
        public readonly nint Stride = stride;
    }

    /// <summary>A row of B may be read in place when it is at most this long (2 KB): a 256-deep k-block then spans
    /// 128 pages at most, so the in-place panels stay TLB- and cache-friendly; longer rows (e.g. 1024²) are packed.</summary>
    internal const int DirectBMaxLd = 512;

    /// <summary>
    /// All tiles of one (mc × nc) block over one k-block: each Ã micro-panel stays in L1 while the B̃ panels
    /// stream past it. In-place B panels are used where the panel is full (32 or a last 16 columns); the
    /// narrower edge panel comes from <paramref name="packedB"/>.
    /// </summary>
    private static void Macro(int mc, int nc, int kc, Operand a, Operand b, float* packedB, float* c, nint ldc, float alpha, float beta, float* tmp, bool transC)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int rows = Math.Min(MR, mc - ir);
            float* aPanel = a.Stride != 0 ? a.Origin + ir * a.Stride : a.Origin + ir * kc;
            for (int jr = 0; jr < nc; jr += NR)
            {
                int cols = Math.Min(NR, nc - jr);
                int width = cols <= 16 ? 16 : NR;
                float* bPanel;
                nint bStride;
                if (b.Stride != 0 && cols == width)
                {
                    bPanel = b.Origin + jr;
                    bStride = b.Stride;
                }
                else
                {
                    bPanel = packedB + jr * kc;
                    bStride = width;
                }
                float* cTile = transC ? c + jr * ldc + ir : c + ir * ldc + jr;
                Tile(rows, cols, width, kc, aPanel, a.Stride, bPanel, bStride, cTile, ldc, alpha, beta, tmp, transC);
            }
        }
    }

    /// <summary>
    /// One C tile (rows ≤ 8, cols ≤ width) over one k-block. Full tiles of a normal C are stored in place by the
    /// kernel; edge tiles and transposed C go through <paramref name="tmp"/> (8 × 32) and <see cref="MergeRow"/>,
    /// which applies the same store formulas.
    /// </summary>
    private static void Tile(int rows, int cols, int width, int kc, float* a, nint lda, float* b, nint bStride, float* c, nint ldc, float alpha, float beta, float* tmp, bool transC)
    {
        if (!transC && cols == width)
        {
            TileSimd(rows, width, kc, a, lda, b, bStride, c, ldc, alpha, beta);
            return;
        }
        TileSimd(rows, width, kc, a, lda, b, bStride, tmp, NR, alpha, 0f);
        if (transC)
        {
            int j = 0;
            if (rows == MR && Avx.IsSupported)
                for (; j <= cols - 8; j += 8) StoreTransposed8x8(tmp + j, c + j * ldc, ldc, beta);
            for (; j < cols; j++) MergeRow(tmp + j, 1f, NR, c + j * ldc, rows, beta);
        }
        else
        {
            for (int r = 0; r < rows; r++) MergeRow(tmp + r * NR, 1f, 1, c + r * ldc, cols, beta);
        }
    }

    /// <summary>
    /// Writes the transpose of the 8×8 block at <paramref name="src"/> (row stride NR) into C rows
    /// dst, dst + ldc, … with the store formulas of <see cref="MergeRow"/>, 8 floats at a time.
    /// </summary>
    private static void StoreTransposed8x8(float* src, float* dst, nint ldc, float beta)
    {
        if (beta == 0f)
        {
            Transpose8x8(src, NR, dst, ldc);
            return;
        }
        float* t = stackalloc float[64];
        Transpose8x8(src, NR, t, 8);
        Vector256<float> vb = Vector256.Create(beta);
        for (int q = 0; q < 8; q++, dst += ldc)
        {
            Vector256<float> v = Vector256.Load(t + q * 8), old = Vector256.Load(dst);
            Vector256.Store(beta == 1f ? old + v : v + vb * old, dst);
        }
    }

    /// <summary>
    /// dst[j] = t (beta = 0), dst[j] + t (beta = 1) or t + beta·dst[j], with t = alpha·src[j·srcStride]: the
    /// kernels' store formulas, so merged edge tiles are bitwise what an in-place store would give.
    /// </summary>
    private static void MergeRow(float* src, float alpha, nint srcStride, float* dst, int count, float beta)
    {
        if (beta == 0f)
            for (int j = 0; j < count; j++) dst[j] = alpha * src[j * srcStride];
        else if (beta == 1f)
            for (int j = 0; j < count; j++) dst[j] = dst[j] + alpha * src[j * srcStride];
        else
            for (int j = 0; j < count; j++) dst[j] = alpha * src[j * srcStride] + beta * dst[j];
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
