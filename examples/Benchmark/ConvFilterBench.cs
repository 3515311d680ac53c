using System.Diagnostics;
using System.Globalization;
using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;

namespace SequentialNet.Benchmark;

/// <summary>
/// --conv-filter [rounds [N H W C K]]: the kernel gradient (with the bias tail) of a "valid" 3×3 convolution, by default
/// the tutorial CNN's second one, x (128, 13, 13, 32), dy (128, 11, 11, 64), kernel (3, 3, 32, 64), on the path the CPU picks (Winograd F(2×2, 3×3)) and on the implicit
/// GEMM, interleaved in one process (rounds alternate, the fastest round of each counts: the machine may be shared).
/// GFLOP/s count the direct 2·m·n·k of both, so they compare as time.
/// </summary>
internal static class ConvFilterBench
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
        int[] d = args.Length >= 6 ? [.. args[1..6].Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [128, 13, 13, 32, 64];   // N H W C K, "valid"
        var g = new ConvGeometry(d[0], d[1], d[2], d[3], d[1] - 2, d[2] - 2, d[4], 3, 3, 1, 1, 1, 1, 0, 0);
        using var backend = new CpuBackend();
        var random = new Random(1);
        DeviceBuffer Filled(long n) => RandomBuffers.Filled(backend, random, n);
        using DeviceBuffer x = Filled(g.InputLength), dy = Filled(g.OutputLength), dk = Filled(g.KernelLength + g.OutChannels);
        double best = double.MaxValue, bestDirect = double.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            best = Math.Min(best, Seconds(() => backend.Conv2DBackwardFilter(x, dy, dk, g, biasGradient: true), direct: false));
            bestDirect = Math.Min(bestDirect, Seconds(() => backend.Conv2DBackwardFilter(x, dy, dk, g, biasGradient: true), direct: true));
        }
        double flops = 2.0 * g.MultiplyAdds;
        string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        Console.WriteLine($"conv2d kernel+bias gradient {g.Batch}x{g.InHeight}x{g.InWidth}x{g.InChannels} -> {g.OutChannels}, 3x3 valid, {WinogradShape.Forward(g).Tiles} tiles, {CpuWorkers.ThreadCount} threads, best of {rounds} rounds:");
        Console.WriteLine($"  picked path (Winograd where it applies): {F(best * 1e3)} ms, {F(flops / best / 1e9)} GFLOP/s-equivalent");
        Console.WriteLine($"  implicit GEMM:                           {F(bestDirect * 1e3)} ms, {F(flops / bestDirect / 1e9)} GFLOP/s");
        Console.WriteLine($"  speed-up {F(bestDirect / best)}x");
        return 0;
    }

    /// <summary>Mean seconds per call over a batch of calls lasting ~50 ms, after one warm-up call.</summary>
    private static double Seconds(Action call, bool direct)
    {
        try
        {
            CpuBackend.t_directConvolutionOnly = direct;
            call();
            int calls = 0;
            var watch = Stopwatch.StartNew();
            do { call(); calls++; } while (watch.Elapsed.TotalSeconds < 0.05);
            return watch.Elapsed.TotalSeconds / calls;
        }
        finally { CpuBackend.t_directConvolutionOnly = false; }
    }
}
