using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

// Winograd F(2×2, 3×3) for the 3×3 stride-1 convolutions whose sizes make it pay (WinogradJob for the forward and the input
// gradient, WinogradFilterJob for the kernel gradient; docs/design-notes.md "Winograd convolution on the CPU"): 2.25× fewer multiply-adds per output than the implicit GEMM.
public sealed unsafe partial class CpuBackend
{
    /// <summary>Fewest input and output channels for the Winograd path: at 16 → 16 channels it was measured 1.3×
    /// faster than the implicit GEMM (128 × 13 × 13 images); with fewer the transforms outweigh the saving.</summary>
    internal const int WinogradMinChannels = 16;

    /// <summary>Fewest 2×2 output tiles for the Winograd path: the per-call filter transform and blocks of a few
    /// tiles made it slower below ~150 tiles (13 × 13 images: batch 4 even, batch 8 1.2× faster; docs/design-notes.md).</summary>
    internal const int WinogradMinTiles = 192;

    [ThreadStatic] private static WinogradJob? t_winograd;
    [ThreadStatic] private static ConvPatches.NativeBlock? t_winogradFilters;

    /// <summary>Set on a thread to keep its convolutions on the implicit-GEMM path (tests and benchmarks compare the two).</summary>
    [ThreadStatic] internal static bool t_directConvolutionOnly;

    /// <summary>
    /// True when the pass <paramref name="shape"/> of <paramref name="g"/> runs on the Winograd path: a 3×3 kernel,
    /// stride 1, no dilation, input and output channels at least <see cref="WinogradMinChannels"/> and multiples
    /// of 8 (the transforms' vectors), at least <see cref="WinogradMinTiles"/> tiles, on a CPU with 256-bit
    /// vectors, and enough saved multiply-adds: both implicit-GEMM passes cost 9 per forward output pixel, Winograd
    /// 16 per 2×2 tile of the pass's own output, and it must save at least a quarter (27·pixels ≥ 64·tiles). Small
    /// images lose that to partial tiles, and a "valid" input gradient to its larger output: at 32 → 64 channels,
    /// batch 128, speed-ups followed that ratio (0.56 → 0.60×, 0.88 → 0.91×, 1.10 → 1.11×, 1.27 → 1.04×,
    /// 1.39 → 1.48×, 1.56 → 1.35×, 1.89 → 1.76×). A function of the geometry alone, so the path (and the result)
    /// never depends on the thread count.
    /// </summary>
    internal static bool WinogradApplies(in ConvGeometry g, in WinogradShape shape)
        => !t_directConvolutionOnly && Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx.IsSupported
        && g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1
        && g.InChannels >= WinogradMinChannels && g.OutChannels >= WinogradMinChannels
        && g.InChannels % WinogradTransforms.Lanes == 0 && g.OutChannels % WinogradTransforms.Lanes == 0
        && shape.Tiles >= WinogradMinTiles
        && 27L * g.OutHeight * g.OutWidth >= 64L * shape.TileRows * shape.TileColumns;

    /// <summary>y = f(conv(x, kernel) + bias) by Winograd where it applies (<paramref name="epilogue"/> as for the implicit GEMM); false otherwise.</summary>
    private static bool TryWinogradForward(float* x, float* kernel, float* y, in ConvGeometry g, in GemmEpilogue epilogue)
    {
        var shape = WinogradShape.Forward(g);
        if (!WinogradApplies(g, shape)) return false;
        var filters = t_winogradFilters ??= new ConvPatches.NativeBlock();
        filters.Ensure(16L * g.InChannels * g.OutChannels);
        WinogradTransforms.Filters(kernel, g.InChannels, g.OutChannels, filters.Pointer);
        RunWinograd(x, filters.Pointer, y, shape, epilogue);
        return true;
    }

    /// <summary>dx by Winograd where it applies: dy convolved with the flipped, channel-swapped kernel (every element of dx written); false otherwise.</summary>
    private static bool TryWinogradBackwardInput(float* dy, float* kernel, float* dx, in ConvGeometry g)
    {
        var shape = WinogradShape.InputGradient(g);
        if (!WinogradApplies(g, shape)) return false;
        long plane = 16L * g.InChannels * g.OutChannels;
        var filters = t_winogradFilters ??= new ConvPatches.NativeBlock();
        filters.Ensure(2 * plane);   // U (16, C, K), then U' (16, K, C)
        WinogradTransforms.Filters(kernel, g.InChannels, g.OutChannels, filters.Pointer);
        WinogradTransforms.FlippedTransposedFilters(filters.Pointer, g.InChannels, g.OutChannels, filters.Pointer + plane);
        RunWinograd(dy, filters.Pointer + plane, dx, shape, GemmEpilogue.None);
        return true;
    }

    [ThreadStatic] private static WinogradFilterJob? t_winogradFilter;

    /// <summary>
    /// dK (and db after it with <paramref name="biasGradient"/>) by Winograd where the forward of <paramref name="g"/>
    /// takes it (the same tiles: those of dy); false otherwise. Segments of blocks as in the implicit-GEMM job
    /// (<see cref="FilterSegments"/>), each a partial dU' (16, C, K), added in segment order.
    /// </summary>
    private static bool TryWinogradBackwardFilter(float* x, float* dy, float* dkernel, in ConvGeometry g, bool biasGradient)
    {
        var shape = WinogradShape.Forward(g);
        if (!WinogradApplies(g, shape)) return false;
        var job = t_winogradFilter ??= new WinogradFilterJob();
        job.X = x; job.Dy = dy; job.S = shape; job.BiasGradient = biasGradient;
        job.BlockTiles = WinogradFilterJob.TilesPerBlock(shape.InChannels, shape.OutChannels);
        job.Blocks = (shape.Tiles + job.BlockTiles - 1) / job.BlockTiles;
        job.Segments = Math.Min(FilterSegments, job.Blocks);
        job.Sums = t_filterSums ??= new SegmentPartials();
        try { job.Transform(job.Sums.Run(job, job.Segments, job.PartialLength), dkernel); }
        finally { job.X = job.Dy = null; }
        return true;
    }

    private static void RunWinograd(float* input, float* filters, float* output, in WinogradShape shape, in GemmEpilogue epilogue)
    {
        var job = t_winograd ??= new WinogradJob();
        job.X = input; job.Filters = filters; job.Y = output; job.S = shape; job.Epilogue = epilogue;
        job.BlockTiles = WinogradJob.TilesPerBlock(shape.Tiles, shape.InChannels, shape.OutChannels);
        try { CpuWorkers.Run(job, job.Parts); }
        finally { job.X = job.Filters = job.Y = null; job.Epilogue = default; }
    }
}
