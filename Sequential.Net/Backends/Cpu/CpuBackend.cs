using System.Runtime.Intrinsics;
namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The managed CPU backend: SIMD kernels (Vector512/Vector256 with scalar twins) and a packed,
/// multithreaded SGEMM. It is both the fallback when no GPU works and the reference for GPU results.
/// Primitives run synchronously on the calling thread (GEMM fans out to <see cref="CpuWorkers"/>).
/// </summary>
public sealed unsafe partial class CpuBackend : IBackend
{
    /// <inheritdoc/>
    public string Name => $"cpu ({CpuWorkers.ThreadCount} threads, {SimdWidth})";

    private static string SimdWidth => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512"
        : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "AVX2" : "scalar";

    private static CpuBuffer C(DeviceBuffer b) => (CpuBuffer)b;
    private static float* F(DeviceBuffer b) => ((CpuBuffer)b).F;

    /// <inheritdoc/>
    public DeviceBuffer Allocate(int length) => CpuBuffer.AllocateFloat(length);
    /// <inheritdoc/>
    public DeviceBuffer AllocateInt(int length) => CpuBuffer.AllocateInt(length);
    /// <inheritdoc/>
    public DeviceBuffer View(DeviceBuffer buffer, int offset, int length) => C(buffer).Slice(offset, length);
    /// <inheritdoc/>
    public DeviceBuffer UseHostData(float[] data) => CpuBuffer.Pin(data);

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<float> src, DeviceBuffer dst)
    {
        RequireLength(dst, src.Length, nameof(Upload));
        src.CopyTo(C(dst).Span);
    }

    /// <inheritdoc/>
    public void UploadInt(ReadOnlySpan<int> src, DeviceBuffer dst)
    {
        RequireLength(dst, src.Length, nameof(UploadInt));
        src.CopyTo(C(dst).IntSpan);
    }

    /// <inheritdoc/>
    public void Download(DeviceBuffer src, Span<float> dst)
    {
        RequireLength(src, dst.Length, nameof(Download));
        C(src).Span.CopyTo(dst);
    }

    /// <inheritdoc/>
    public void DownloadInt(DeviceBuffer src, Span<int> dst)
    {
        RequireLength(src, dst.Length, nameof(DownloadInt));
        C(src).IntSpan.CopyTo(dst);
    }

    /// <inheritdoc/>
    public void Fill(DeviceBuffer dst, float value) => C(dst).Span.Fill(value);
    /// <inheritdoc/>
    public void Copy(DeviceBuffer src, DeviceBuffer dst)
    {
        RequireAtLeast(nameof(Copy), nameof(dst), dst, src.Length);
        C(src).Span.CopyTo(C(dst).Span);
    }

    /// <inheritdoc/>
    public void CopyColumns(DeviceBuffer src, DeviceBuffer dst, int rows, int cols, int srcStride, int srcOffset, int dstStride, int dstOffset)
    {
        Span<float> s = C(src).Span, d = C(dst).Span;
        StridedCopy.Check(nameof(CopyColumns), s.Length, d.Length, rows, cols, srcStride, srcOffset, dstStride, dstOffset);
        for (int r = 0; r < rows; r++)
            s.Slice(r * srcStride + srcOffset, cols).CopyTo(d.Slice(r * dstStride + dstOffset, cols));
    }

    /// <inheritdoc/>
    public void Permute(DeviceBuffer src, DeviceBuffer dst, ReadOnlySpan<int> dims, ReadOnlySpan<int> perm)
    {
        Span<float> s = C(src).Span, d = C(dst).Span;
        Span<int> strides = stackalloc int[StridedCopy.MaxPermuteRank], outDims = stackalloc int[StridedCopy.MaxPermuteRank];
        int n = StridedCopy.CheckPermute(s.Length, d.Length, dims, perm, strides, outDims);
        for (int i = 0; i < n; i++)
        {
            // Destination coordinates, last axis fastest; the source offset adds each coordinate's source stride.
            int rest = i, from = 0;
            for (int k = StridedCopy.MaxPermuteRank - 1; k >= 0; k--)
            {
                from += rest % outDims[k] * strides[k];
                rest /= outDims[k];
            }
            d[i] = s[from];
        }
    }

    /// <inheritdoc/>
    public void Synchronize() { }

    /// <inheritdoc/>
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c)
    {
        // Contiguous row-major operands: the leading dimension is the stored row length.
        int lda = transA ? m : k, ldb = transB ? k : n;
        RequireGemm(nameof(Gemm), m, n, k, a, b, c);
        Sgemm.Run(transA, transB, m, n, k, alpha, F(a), lda, F(b), ldb, beta, F(c), n);
    }

    /// <inheritdoc/>
    public void GemmBiasActivation<TOp>(in TOp activation, int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer bias, DeviceBuffer c) where TOp : struct, IUnaryOp
    {
        RequireGemm(nameof(GemmBiasActivation), m, n, k, a, b, c);
        if (bias.Length < n) throw new ArgumentException($"{nameof(GemmBiasActivation)}: expected a bias of at least {n} elements. Received: {bias.Length}.");
        TOp op = activation;   // on this stack frame: the epilogue reaches it by pointer
        var epilogue = new GemmEpilogue(F(bias), System.Runtime.CompilerServices.Unsafe.AsPointer(ref op), GemmEpilogue.RowKernel<TOp>());
        Sgemm.Run(false, false, m, n, k, 1f, F(a), Math.Max(1, k), F(b), Math.Max(1, n), 0f, F(c), Math.Max(1, n), epilogue);
    }

    /// <inheritdoc/>
    public void SumRows(DeviceBuffer x, DeviceBuffer y, int rows, int cols)
    {
        RequireAtLeast(nameof(SumRows), nameof(x), x, RequireMatrix(nameof(SumRows), rows, cols));
        RequireAtLeast(nameof(SumRows), nameof(y), y, cols);
        SimdKernels.SumRows(F(x), F(y), rows, cols, accumulate: false);
    }

    /// <inheritdoc/>
    public void SumAll(DeviceBuffer x, DeviceBuffer y, float scale)
    {
        RequireAtLeast(nameof(SumAll), nameof(y), y, 1);
        F(y)[0] = scale * SimdKernels.Sum(F(x), x.Length);
    }

    /// <inheritdoc/>
    public void BroadcastScalar(DeviceBuffer s, DeviceBuffer y, float scale)
    {
        RequireAtLeast(nameof(BroadcastScalar), nameof(s), s, 1);
        C(y).Span.Fill(scale * F(s)[0]);
    }

    /// <inheritdoc/>
    public void AccumulateSum(DeviceBuffer x, DeviceBuffer acc, int index, float scale)
    {
        RequireIndex(nameof(AccumulateSum), nameof(index), acc, index);
        F(acc)[index] += scale * SimdKernels.Sum(F(x), x.Length);
    }

    /// <inheritdoc/>
    public void AddToCounter(DeviceBuffer counters, int slot, int delta)
    {
        RequireIndex(nameof(AddToCounter), nameof(slot), counters, slot);
        C(counters).I[slot] += delta;
    }

    /// <inheritdoc/>
    public void SetCounter(DeviceBuffer counters, int slot, int value)
    {
        RequireIndex(nameof(SetCounter), nameof(slot), counters, slot);
        C(counters).I[slot] = value;
    }

    /// <inheritdoc/>
    public void GatherRows(DeviceBuffer src, DeviceBuffer dst, int rows, int rowLength, DeviceBuffer counters, int cursorSlot, RowOrder order)
    {
        RequireIndex(nameof(GatherRows), nameof(cursorSlot), counters, cursorSlot);
        RequireIndex(nameof(GatherRows), "epoch slot", counters, StateSlots.Epoch);
        RequireAtLeast(nameof(GatherRows), nameof(dst), dst, RequireMatrix(nameof(GatherRows), rows, rowLength));
        RequireAtLeast(nameof(GatherRows), nameof(src), src, (long)(order.Start + order.Count) * rowLength);
        int cursor = C(counters).I[cursorSlot], epoch = C(counters).I[StateSlots.Epoch];
        if (cursor < 0 || cursor + rows > order.Count)
            throw new InvalidOperationException($"GatherRows: rows [{cursor}, {cursor + rows}) are outside the {order.Count} rows of this pass.");
        // Large batches (Predict at batch 1000: 3 MB per step) copy on every worker; each row is one copy either way.
        var args = new GatherArgs { From = F(src), To = F(dst), RowLength = rowLength, Cursor = cursor, Epoch = epoch, Order = order };
        ElementwiseParallel.ForRows(rows, rowLength, &args, &GatherRange);
    }

    private struct GatherArgs
    {
        public float* From, To;
        public int RowLength, Cursor, Epoch;
        public RowOrder Order;
    }

    private static void GatherRange(void* state, int first, int count)
    {
        ref GatherArgs a = ref *(GatherArgs*)state;
        long bytes = (long)a.RowLength * sizeof(float);
        for (int r = first; r < first + count; r++)
            Buffer.MemoryCopy(a.From + (long)a.Order.Row(a.Cursor + r, a.Epoch) * a.RowLength, a.To + (long)r * a.RowLength, bytes, bytes);
    }

    /// <inheritdoc/>
    public void DropoutMask(DeviceBuffer mask, float rate, ulong seed, uint stream, DeviceBuffer counters)
    {
        RequireIndex(nameof(DropoutMask), "step slot", counters, StateSlots.OptimizerStep);
        var args = new DropoutArgs
        {
            Mask = F(mask), Rate = rate, Keep = 1f / (1f - rate), Seed = seed, Stream = stream,
            Step = (uint)C(counters).I[StateSlots.OptimizerStep],
        };
        // A Philox draw per 4 elements is ~50× the work of an elementwise op: split from 2¹⁰ elements
        // (measured: 4096 elements take ~50 µs on one thread).
        ElementwiseParallel.For(mask.Length, DropoutThreshold, &args, &DropoutRange);
    }

    /// <summary>Dropout masks of at least this many elements are drawn on every worker.</summary>
    internal const int DropoutThreshold = 1 << 10;

    private struct DropoutArgs
    {
        public float* Mask;
        public float Rate, Keep;
        public ulong Seed;
        public uint Stream, Step;
    }

    // Elements [start, start + count), start a multiple of 4: one Philox call yields the four uniforms of
    // elements 4·block … 4·block+3, so a mask element depends only on its index, never on the split.
    private static void DropoutRange(void* state, int start, int count)
    {
        ref DropoutArgs a = ref *(DropoutArgs*)state;
        float* m = a.Mask;
        float rate = a.Rate, keep = a.Keep;
        int end = start + count;
        int block = start / 4;
        if (PhiloxVector.IsSupported)
        {
            // u = (word >> 8)·2⁻²⁴ ≥ rate  ⇔  (word >> 8) ≥ ⌈rate·2²⁴⌉ (the scaling is exact), compared as integers.
            var threshold = Vector512.Create((ulong)MathF.Ceiling(rate * 16777216f));
            var keepBits = Vector512.Create((ulong)BitConverter.SingleToUInt32Bits(keep));
            ulong* words = stackalloc ulong[32];
            for (; (block + 8) * 4 <= end; block += 8)
            {
                PhiloxVector.Generate8((uint)block, a.Step, a.Stream, 0, (uint)a.Seed, (uint)(a.Seed >> 32), out var x, out var y, out var z, out var w);
                (Vector512.GreaterThanOrEqual(x >>> 8, threshold) & keepBits).Store(words);
                (Vector512.GreaterThanOrEqual(y >>> 8, threshold) & keepBits).Store(words + 8);
                (Vector512.GreaterThanOrEqual(z >>> 8, threshold) & keepBits).Store(words + 16);
                (Vector512.GreaterThanOrEqual(w >>> 8, threshold) & keepBits).Store(words + 24);
                uint* mask = (uint*)(m + block * 4);
                for (int l = 0; l < 8; l++)
                {
                    mask[4 * l] = (uint)words[l];
                    mask[4 * l + 1] = (uint)words[8 + l];
                    mask[4 * l + 2] = (uint)words[16 + l];
                    mask[4 * l + 3] = (uint)words[24 + l];
                }
            }
        }
        for (; block * 4 < end; block++)
        {
            var (x, y, z, w) = Philox.Generate((uint)block, a.Step, a.Stream, 0, (uint)a.Seed, (uint)(a.Seed >> 32));
            int i = block * 4;
            m[i] = ToUniform(x) >= rate ? keep : 0f;
            if (i + 1 < end) m[i + 1] = ToUniform(y) >= rate ? keep : 0f;
            if (i + 2 < end) m[i + 2] = ToUniform(z) >= rate ? keep : 0f;
            if (i + 3 < end) m[i + 3] = ToUniform(w) >= rate ? keep : 0f;
        }
    }

    private static float ToUniform(uint word) => (word >> 8) * (1.0f / 16777216f);

    // A: (m, k) or its transpose, B: (k, n) or its transpose, C: (m, n), all contiguous.
    private static void RequireGemm(string who, int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"{who}: expected m, n, k >= 0. Received: m={m}, n={n}, k={k}.");
        RequireAtLeast(who, "a", a, (long)m * k);
        RequireAtLeast(who, "b", b, (long)k * n);
        RequireAtLeast(who, "c", c, (long)m * n);
    }

    private static void RequireLength(DeviceBuffer b, int length, string who)
    {
        if (b.Length != length) throw new ArgumentException($"{who}: expected {b.Length} elements. Received: {length}.");
    }

    /// <inheritdoc/>
    public void Dispose() { }
}
