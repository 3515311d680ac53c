using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The patch matrix of a convolution, a block of rows at a time. Row r = (b, oy, ox) of P (rows, PatchSize)
/// is the receptive field of output pixel (oy, ox) of sample b laid out (ky, kx, c), which is the row order of
/// Keras's kernel (kh, kw, in, out) read as a (PatchSize, out) matrix, so P·K is the convolution.
/// <see cref="Gather"/> packs rows straight from the image into the GEMM's A operand (in a per-thread buffer
/// of at most <see cref="BlockFloats"/> floats, which the AVX-512 kernels then read in place: the gather is
/// the packing); <see cref="ScatterAdd"/> adds a block of dP back onto dx.
/// </summary>
internal static unsafe class ConvPatches
{
    /// <summary>Floats per block of patch rows: 128 KB, so a block and the kernel's B panels stay in L2.</summary>
    internal const int BlockFloats = 1 << 15;

    /// <summary>Patch rows per block for <paramref name="patchSize"/> columns: a multiple of 8, at least 8.</summary>
    public static int BlockRows(int patchSize) => Math.Max(8, BlockFloats / Math.Max(1, patchSize) / 8 * 8);

    /// <summary>Writes rows [r0, r0 + count) of P into <paramref name="dst"/> (count × PatchSize, dense).</summary>
    public static void Gather(float* x, in ConvGeometry g, int r0, int count, float* dst)
    {
        int c = g.InChannels, k = g.PatchSize, run = g.KernelWidth * c;
        int pixels = g.OutHeight * g.OutWidth;
        for (int i = 0; i < count; i++, dst += k)
        {
            int r = r0 + i, b = r / pixels, p = r % pixels, oy = p / g.OutWidth, ox = p % g.OutWidth;
            int y0 = oy * g.StrideHeight - g.PadTop, x0 = ox * g.StrideWidth - g.PadLeft;
            float* image = x + (long)b * g.InHeight * g.InWidth * c;
            bool rowInside = x0 >= 0 && x0 + (g.KernelWidth - 1) * g.DilationWidth < g.InWidth;
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                float* d = dst + ky * run;
                int iy = y0 + ky * g.DilationHeight;
                if ((uint)iy >= (uint)g.InHeight) { Fill(d, run); continue; }
                float* line = image + (long)iy * g.InWidth * c;
                if (rowInside && g.DilationWidth == 1)
                {
                    Copy(line + x0 * c, d, run);   // one contiguous run
                    continue;
                }
                for (int kx = 0; kx < g.KernelWidth; kx++, d += c)
                {
                    int ix = x0 + kx * g.DilationWidth;
                    if ((uint)ix >= (uint)g.InWidth) Fill(d, c);
                    else Copy(line + ix * c, d, c);
                }
            }
        }
    }

    /// <summary>Copies n floats; short runs (a few channels, as in a first layer) by hand, where a span copy costs more than the copy.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* dst, int n)
    {
        if (n >= 16) { new ReadOnlySpan<float>(src, n).CopyTo(new Span<float>(dst, n)); return; }
        for (int i = 0; i < n; i++) dst[i] = src[i];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Fill(float* dst, int n)
    {
        if (n >= 16) { new Span<float>(dst, n).Clear(); return; }
        for (int i = 0; i < n; i++) dst[i] = 0f;
    }

    /// <summary>dx += rows [r0, r0 + count) of dP (<paramref name="src"/>, count × PatchSize), each cell added where it was read from, rows in order.</summary>
    public static void ScatterAdd(float* src, in ConvGeometry g, int r0, int count, float* dx)
    {
        int c = g.InChannels, k = g.PatchSize;
        int pixels = g.OutHeight * g.OutWidth;
        for (int i = 0; i < count; i++, src += k)
        {
            int r = r0 + i, b = r / pixels, p = r % pixels, oy = p / g.OutWidth, ox = p % g.OutWidth;
            int y0 = oy * g.StrideHeight - g.PadTop, x0 = ox * g.StrideWidth - g.PadLeft;
            float* image = dx + (long)b * g.InHeight * g.InWidth * c;
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                int iy = y0 + ky * g.DilationHeight;
                if ((uint)iy >= (uint)g.InHeight) continue;
                float* line = image + (long)iy * g.InWidth * c;
                float* s = src + ky * g.KernelWidth * c;
                for (int kx = 0; kx < g.KernelWidth; kx++, s += c)
                {
                    int ix = x0 + kx * g.DilationWidth;
                    if ((uint)ix >= (uint)g.InWidth) continue;
                    var target = new Span<float>(line + ix * c, c);
                    TensorPrimitives.Add(target, new ReadOnlySpan<float>(s, c), target);
                }
            }
        }
    }

    /// <summary>A per-thread, 64-byte aligned native buffer of at least <paramref name="floats"/> floats (grows, never shrinks).</summary>
    public static float* Buffer(int floats)
    {
        var b = t_buffer ??= new NativeBlock();
        b.Ensure(floats);
        return b.Pointer;
    }

    [ThreadStatic] private static NativeBlock? t_buffer;

    /// <summary>Native memory freed with its owner (a thread's buffer dies with the thread).</summary>
    internal sealed class NativeBlock
    {
        public float* Pointer { get; private set; }
        private long _length;

        public void Ensure(long floats)
        {
            if (floats <= _length) return;
            if (Pointer != null) NativeMemory.AlignedFree(Pointer);
            Pointer = (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
            _length = floats;
        }

        ~NativeBlock()
        {
            if (Pointer != null) NativeMemory.AlignedFree(Pointer);
        }
    }
}
