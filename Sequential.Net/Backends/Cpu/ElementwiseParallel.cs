namespace SequentialNet.Backends.Cpu;

/// <summary>
/// Splits a large elementwise pass over <see cref="CpuWorkers"/> in contiguous chunks; small passes stay on the
/// calling thread. The body is a static function over a range [start, start + count) of the n elements, with its
/// arguments in a caller-owned struct passed by pointer (so dispatch allocates nothing).
/// <para>
/// Chunk boundaries are multiples of <see cref="Alignment"/> elements, so every element that the unsplit kernel
/// computes in a full vector is also computed in a full vector of its chunk, and elementwise kernels (whose result
/// never depends on an element's position, see <see cref="SimdKernels"/>) give bitwise the same result for every
/// thread count and partition. Reductions are not run through here: their order would change.
/// </para>
/// </summary>
internal static unsafe class ElementwiseParallel
{
    /// <summary>
    /// Passes of fewer elements run on the calling thread. Measured on 2 shared Zen 4 cores with the workers
    /// spinning (as in a training step), one thread → two: ReLU over 2¹⁵ floats 2.5 → 1.5–2.4 µs, 2¹⁶ 5.5 → 3.1–3.7 µs;
    /// Adam over 2¹⁵ 13.7 → 8–10 µs; at 2¹⁴ the gain was within the noise (ReLU 1.3 → 0.9–1.5 µs).
    /// </summary>
    public const int Threshold = 1 << 15;

    /// <summary>Chunk boundaries fall on multiples of this many elements (4 × 16 lanes, 256 bytes).</summary>
    public const int Alignment = 64;

    /// <summary>
    /// Runs <paramref name="body"/>(state, start, count) over [0, n): in one call on the calling thread when
    /// n &lt; <see cref="Threshold"/> or there is one thread, else in min(threads, n / (Threshold / 2)) aligned
    /// contiguous chunks on the pool.
    /// </summary>
    public static void For(int n, void* state, delegate*<void*, int, int, void> body) => For(n, Threshold, state, body);

    /// <summary>
    /// The element split above with its own <paramref name="threshold"/>, for passes
    /// that do much more work per element than a load, an op and a store (e.g. a Philox draw per 4 elements).
    /// </summary>
    public static void For(int n, int threshold, void* state, delegate*<void*, int, int, void> body)
    {
        if (n <= 0) return;
        int threads = CpuWorkers.ThreadCount;
        if (threads <= 1 || n < threshold)
        {
            body(state, 0, n);
            return;
        }
        Split(n, Math.Clamp(n / Math.Max(1, threshold / 2), 1, threads), Alignment, state, body);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(state, firstRow, rowCount) over the rows of a (rows, cols) matrix, split
    /// into contiguous row ranges the way <c>For</c> splits elements (rows·cols against the threshold).
    /// Every row is computed by the same per-row kernel in any split, so results do not depend on it.
    /// </summary>
    public static void ForRows(int rows, int cols, void* state, delegate*<void*, int, int, void> body) => ForRows(rows, cols, state, body, Threshold);

    /// <summary>The row split above with its own <paramref name="threshold"/> (for rows of costly work, e.g. softmax's exp).</summary>
    public static void ForRows(int rows, int cols, void* state, delegate*<void*, int, int, void> body, int threshold)
    {
        if (rows <= 0) return;
        int threads = CpuWorkers.ThreadCount;
        long n = (long)rows * cols;
        if (threads <= 1 || n < threshold || rows == 1)
        {
            body(state, 0, rows);
            return;
        }
        Split(rows, (int)Math.Clamp(n / Math.Max(1, threshold / 2), 1, Math.Min(threads, rows)), 1, state, body);
    }

    private static void Split(int n, int parts, int alignment, void* state, delegate*<void*, int, int, void> body)
    {
        ChunkJob job = t_job ??= new ChunkJob();
        job.Set(n, alignment, state, body);
        try
        {
            CpuWorkers.Run(job, parts);
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>Start of chunk <paramref name="part"/> of <paramref name="parts"/> over n elements (aligned; may exceed n).</summary>
    internal static int ChunkStart(int n, int part, int parts, int alignment = Alignment)
    {
        long per = ((long)n + parts - 1) / parts;
        per = (per + alignment - 1) / alignment * alignment;
        return (int)Math.Min(per * part, n);
    }

    [ThreadStatic] private static ChunkJob? t_job;

    /// <summary>One split pass: part p runs the range [ChunkStart(p), ChunkStart(p + 1)) of n elements or rows.</summary>
    private sealed class ChunkJob : CpuJob
    {
        private int _n, _alignment;
        private void* _state;
        private delegate*<void*, int, int, void> _body;

        public void Set(int n, int alignment, void* state, delegate*<void*, int, int, void> body)
        {
            _n = n;
            _alignment = alignment;
            _state = state;
            _body = body;
        }

        public void Clear()
        {
            _state = null;
            _body = null;
        }

        public override void Execute(int part, int parts)
        {
            int start = ChunkStart(_n, part, parts, _alignment), end = ChunkStart(_n, part + 1, parts, _alignment);
            if (end > start) _body(_state, start, end - start);
        }
    }
}
