using System.Numerics.Tensors;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// Zero padding / cropping, nearest upsampling and its gradient, and per-sample channel scaling, channels last.
/// Each pass is split over rows of the output (one image row, or one pixel's channels) by
/// <c>ElementwiseParallel.ForRows</c>; every row is computed by the same code in any split, with SIMD
/// copies and adds (<see cref="TensorPrimitives"/>), so results do not depend on the thread count. The arguments
/// travel in a struct on the caller's stack: nothing is allocated.
/// </summary>
internal static unsafe class SpatialKernels
{
    private struct PadArgs { public float* X, Y; public PadGeometry G; }
    private struct UpArgs { public float* A, B; public UpSampleGeometry G; }
    private struct ScaleArgs { public float* X, S, Y; public int Pixels, Channels; }

    /// <summary>y = x padded or cropped (<see cref="IBackend.Pad2D"/>): rows of y are (b, oy) image rows.</summary>
    public static void Pad(float* x, float* y, in PadGeometry g)
    {
        var args = new PadArgs { X = x, Y = y, G = g };
        ElementwiseParallel.ForRows(g.Batch * g.OutHeight, g.OutWidth * g.Channels, &args, &PadRows);
    }

    private static void PadRows(void* state, int first, int count)
    {
        ref PadArgs a = ref *(PadArgs*)state;
        var g = a.G;
        int c = g.Channels, rowLength = g.OutWidth * c;
        // Output columns [x0, x1) read input columns [x0 − Left, x1 − Left); the rest are zeros.
        int x0 = Math.Clamp(g.Left, 0, g.OutWidth), x1 = Math.Clamp(g.InWidth + g.Left, x0, g.OutWidth);
        for (int r = first; r < first + count; r++)
        {
            int b = r / g.OutHeight, iy = r % g.OutHeight - g.Top;
            var row = new Span<float>(a.Y + (long)r * rowLength, rowLength);
            if (iy < 0 || iy >= g.InHeight || x1 == x0) { row.Clear(); continue; }
            row[..(x0 * c)].Clear();
            row[(x1 * c)..].Clear();
            float* src = a.X + (((long)b * g.InHeight + iy) * g.InWidth + (x0 - g.Left)) * c;
            new ReadOnlySpan<float>(src, (x1 - x0) * c).CopyTo(row[(x0 * c)..(x1 * c)]);
        }
    }

    /// <summary>y = x upsampled (<see cref="IBackend.UpSample2D"/>): rows of y are (b, oy) image rows.</summary>
    public static void UpSample(float* x, float* y, in UpSampleGeometry g)
    {
        var args = new UpArgs { A = x, B = y, G = g };
        ElementwiseParallel.ForRows(g.Batch * g.OutHeight, g.OutWidth * g.Channels, &args, &UpSampleRows);
    }

    private static void UpSampleRows(void* state, int first, int count)
    {
        ref UpArgs a = ref *(UpArgs*)state;
        var g = a.G;
        int c = g.Channels, outHeight = g.OutHeight;
        for (int r = first; r < first + count; r++)
        {
            int b = r / outHeight, iy = r % outHeight / g.SizeHeight;
            float* src = a.A + ((long)b * g.InHeight + iy) * g.InWidth * c, dst = a.B + (long)r * g.OutWidth * c;
            for (int ix = 0; ix < g.InWidth; ix++, src += c)
                for (int k = 0; k < g.SizeWidth; k++, dst += c)
                    new ReadOnlySpan<float>(src, c).CopyTo(new Span<float>(dst, c));
        }
    }

    /// <summary>
    /// dx = the sum of each cell's copies (<see cref="IBackend.UpSample2DBackward"/>): rows are (b, iy) rows of dx;
    /// each is the first dy row's cells, then the others added in order (row-major over the copies).
    /// </summary>
    public static void UpSampleBackward(float* dy, float* dx, in UpSampleGeometry g)
    {
        var args = new UpArgs { A = dy, B = dx, G = g };
        ElementwiseParallel.ForRows(g.Batch * g.InHeight, g.InWidth * g.Channels * g.SizeHeight * g.SizeWidth, &args, &UpSampleBackwardRows);
    }

    private static void UpSampleBackwardRows(void* state, int first, int count)
    {
        ref UpArgs a = ref *(UpArgs*)state;
        var g = a.G;
        int c = g.Channels, outRow = g.OutWidth * c;
        for (int r = first; r < first + count; r++)
        {
            float* dst = a.B + (long)r * g.InWidth * c;
            float* rows = a.A + (long)r * g.SizeHeight * outRow;   // dy rows r·SizeHeight + [0, SizeHeight) of the same sample
            for (int ix = 0; ix < g.InWidth; ix++)
            {
                var cell = new Span<float>(dst + (long)ix * c, c);
                bool first1 = true;
                for (int ky = 0; ky < g.SizeHeight; ky++)
                    for (int kx = 0; kx < g.SizeWidth; kx++)
                    {
                        var copy = new ReadOnlySpan<float>(rows + (long)ky * outRow + ((long)ix * g.SizeWidth + kx) * c, c);
                        if (first1) { copy.CopyTo(cell); first1 = false; }
                        else TensorPrimitives.Add(cell, copy, cell);
                    }
            }
        }
    }

    /// <summary>y(b, p, c) = x(b, p, c)·s(b, c) (<see cref="IBackend.ScaleChannels"/>): rows are pixels.</summary>
    public static void ScaleChannels(float* x, float* s, float* y, int batch, int pixels, int channels)
    {
        var args = new ScaleArgs { X = x, S = s, Y = y, Pixels = pixels, Channels = channels };
        ElementwiseParallel.ForRows(batch * pixels, channels, &args, &ScaleRows);
    }

    private static void ScaleRows(void* state, int first, int count)
    {
        ref ScaleArgs a = ref *(ScaleArgs*)state;
        int c = a.Channels;
        for (int r = first; r < first + count; r++)
        {
            long at = (long)r * c;
            TensorPrimitives.Multiply(new ReadOnlySpan<float>(a.X + at, c), new ReadOnlySpan<float>(a.S + (long)(r / a.Pixels) * c, c), new Span<float>(a.Y + at, c));
        }
    }
}
