using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using SequentialNet.Backends.Cpu;

namespace SequentialNet.Benchmark;

/// <summary>One SGEMM shape: C(m×n) = op(A)·B with op(A) m×k, row-major.</summary>
internal sealed record GemmShape(string Label, int M, int N, int K, bool TransA)
{
    public double Flops => 2.0 * M * N * K;

    /// <summary>The benchmark's shapes (the same list as GEMM_SHAPES in torch_reference.py).</summary>
    public static readonly GemmShape[] All =
    [
        new("32x784x128", 32, 128, 784, false),          // Dense(128) forward at batch 32
        new("128x784x128", 128, 128, 784, false),        // … at batch 128
        new("784x128 k=128 (A^T)", 784, 128, 128, true), // weight gradient Xᵀ·dY at batch 128
        new("1024^3", 1024, 1024, 1024, false),
    ];
}

/// <summary>GFLOP/s of one shape at one thread count.</summary>
internal sealed record GemmResult(string Label, double Seconds, double Gflops);

/// <summary>Times our packed SGEMM (<see cref="Sgemm.Run"/>) on <see cref="GemmShape.All"/>.</summary>
internal static unsafe class GemmBench
{
    /// <summary>
    /// At <paramref name="threads"/> threads (the worker pool is resized, then restored): per shape a warm-up,
    /// then the best of <paramref name="reps"/> repetitions of about <paramref name="minSeconds"/> each.
    /// </summary>
    public static List<GemmResult> Run(int threads, int reps, double minSeconds)
    {
        int previous = CpuWorkers.ThreadCount;
        CpuWorkers.ThreadCount = threads;
        try
        {
            var results = new List<GemmResult>();
            foreach (var shape in GemmShape.All)
            {
                results.Add(RunShape(shape, reps, minSeconds));
            }
            return results;
        }
        finally
        {
            CpuWorkers.ThreadCount = previous == CpuWorkers.DefaultThreadCount ? 0 : previous;
        }
    }

    private static GemmResult RunShape(GemmShape s, int reps, double minSeconds)
    {
        long aLen = (long)s.M * s.K, bLen = (long)s.K * s.N, cLen = (long)s.M * s.N;
        float* a = Alloc(aLen), b = Alloc(bLen), c = Alloc(cLen);
        try
        {
            var rng = new Random(1);
            for (long i = 0; i < aLen; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
            for (long i = 0; i < bLen; i++) b[i] = (float)(rng.NextDouble() * 2 - 1);
            int lda = s.TransA ? s.M : s.K;   // A is stored k×m when transposed
            void Call() => Sgemm.Run(s.TransA, false, s.M, s.N, s.K, 1f, a, lda, b, s.N, 0f, c, s.N);

            Call();   // warm-up (JIT, packing buffers, worker threads)
            var sw = Stopwatch.StartNew();
            Call();
            double one = Math.Max(sw.Elapsed.TotalSeconds, 1e-7);
            int calls = Math.Max(1, (int)(minSeconds / one));
            double best = double.MaxValue;
            for (int r = 0; r < reps; r++)
            {
                sw.Restart();
                for (int i = 0; i < calls; i++) Call();
                best = Math.Min(best, sw.Elapsed.TotalSeconds / calls);
            }
            return new GemmResult(s.Label, best, s.Flops / best / 1e9);
        }
        finally
        {
            NativeMemory.AlignedFree(a);
            NativeMemory.AlignedFree(b);
            NativeMemory.AlignedFree(c);
        }
    }

    private static float* Alloc(long length) => (float*)NativeMemory.AlignedAlloc((nuint)(length * sizeof(float)), 64);

    /// <summary>Reads a "gemm" array written by <see cref="RunChild"/> or by torch_reference.py.</summary>
    public static List<GemmResult> ParseResults(JsonElement array)
    {
        var list = new List<GemmResult>();
        foreach (var e in array.EnumerateArray())
        {
            string label = (e.TryGetProperty("Label", out var l) ? l : e.GetProperty("label")).GetString()!;
            double seconds = (e.TryGetProperty("Seconds", out var t) ? t : e.GetProperty("seconds")).GetDouble();
            double gflops = (e.TryGetProperty("Gflops", out var g) ? g : e.GetProperty("gflops")).GetDouble();
            list.Add(new GemmResult(label, seconds, gflops));
        }
        return list;
    }
}
