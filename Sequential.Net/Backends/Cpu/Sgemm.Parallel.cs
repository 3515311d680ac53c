namespace SequentialNet.Backends.Cpu;

internal static unsafe partial class Sgemm
{
    /// <summary>
    /// One parallel GEMM: C is cut into a pm × pn grid of blocks (rows in multiples of <see cref="MR"/>,
    /// columns in multiples of 16), one block per part, each run by <see cref="Blocked"/> on its sub-matrices
    /// with the running thread's own pack buffers. The grid depends only on (m, n, k, threads).
    /// </summary>
    private sealed class GemmJob : CpuJob
    {
        private bool _transA, _transB;
        private int _m, _n, _k, _rowStep, _colStep, _pn;
        private float _alpha, _beta;
        private float* _a, _b, _c;
        private nint _lda, _ldb, _ldc;
        private GemmEpilogue _epilogue;

        public int Parts { get; private set; }

        public void Set(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int threads, in GemmEpilogue epilogue)
        {
            _epilogue = epilogue;
            (_transA, _transB, _m, _n, _k, _alpha, _beta) = (transA, transB, m, n, k, alpha, beta);
            (_lda, _ldb, _ldc) = (lda, ldb, ldc);
            _a = a;
            _b = b;
            _c = c;
            // Enough parts to keep every thread busy, but no part under the threshold's worth of work.
            long work = (long)m * n * k;
            int parts = (int)Math.Clamp(work / ParallelThreshold, 1, threads);
            ChooseGrid(m, n, k, parts, out int pm, out int pn, out _rowStep, out _colStep);
            _pn = pn;
            Parts = pm * pn;
        }

        public void Clear()
        {
            _a = null;
            _b = null;
            _c = null;
            _epilogue = default;
        }

        public override void Execute(int part, int parts)
        {
            int i0 = (part / _pn) * _rowStep, j0 = (part % _pn) * _colStep;
            int mb = Math.Min(_rowStep, _m - i0), nb = Math.Min(_colStep, _n - j0);
            if (mb <= 0 || nb <= 0) return;
            float* a = _transA ? _a + i0 : _a + i0 * _lda;
            float* b = _transB ? _b + j0 * _ldb : _b + j0;
            Blocked(_transA, _transB, mb, nb, _k, _alpha, a, _lda, b, _ldb, _beta, _c + i0 * _ldc + j0, _ldc, _epilogue.FromColumn(j0));
        }
    }

    /// <summary>
    /// Picks the pm × pn grid (pm·pn = parts) that minimizes the largest block's cost: its tile work plus the
    /// operand traffic it repeats (each block packs or streams its own rows of op(A) and columns of op(B)).
    /// E.g. 32×128 (k=784) on 2 threads splits columns (2 × 64), 784×128 (k=32) splits rows (2 × 392).
    /// </summary>
    internal static void ChooseGrid(int m, int n, int k, int parts, out int pm, out int pn, out int rowStep, out int colStep)
    {
        pm = 1; pn = 1; rowStep = m; colStep = n;
        double best = double.MaxValue;
        int rowTiles = (m + MR - 1) / MR, colTiles = (n + 15) / 16;
        for (int p = 1; p <= parts; p++)
        {
            if (parts % p != 0) continue;
            int q = parts / p;
            if (p > rowTiles || q > colTiles) continue;
            int rs = (rowTiles + p - 1) / p * MR, cs = (colTiles + q - 1) / q * 16;
            // Cost in multiply-adds: the block's tile work plus its operand traffic, the rs×k rows of op(A) and
            // k×cs columns of op(B) it packs or streams. An element moved costs ~1/4 cycle (a transposing pack,
            // measured) while 16 multiply-adds retire per cycle, hence the weight 4.
            double cost = (double)rs * cs * k + 4.0 * k * (rs + cs);
            if (cost < best) { best = cost; pm = p; pn = q; rowStep = rs; colStep = cs; }
        }
    }
}
