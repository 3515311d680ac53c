namespace SequentialNet.Backends;

/// <summary>
/// The host form of the augmentation kernels (kernels/augment.cu computes the same float expressions). Affine
/// warp: the transform of sample b is drawn from Philox at (seed, step, stream, b·8 + k), k = 0…6, and maps every
/// output pixel to the source point it samples. Crop: one (top, left) offset for the whole batch, drawn at
/// (seed, step, stream, 0 and 1), then a box resized bilinearly.
/// </summary>
public static class AugmentMath
{
    private const float TwoPi = 6.28318530717958647692f;

    /// <summary>The transform of one sample: output (x, y) samples the source at (X(x, y), Y(x, y)).</summary>
    public readonly record struct SampleTransform(bool FlipX, bool FlipY, float Cos, float Sin, float ZoomX, float ZoomY, float ShiftX, float ShiftY);

    /// <summary>Draws the transform of sample <paramref name="sample"/> for an image of the given size.</summary>
    public static SampleTransform Draw(in AugmentSpec spec, int height, int width, ulong seed, uint step, uint stream, int sample)
    {
        uint b = (uint)sample * 8u;
        float U(uint k) => Philox.Uniform(seed, step, stream, b + k);
        bool flipX = spec.FlipHorizontal && U(0) < 0.5f;
        bool flipY = spec.FlipVertical && U(1) < 0.5f;
        float angle = Lerp(spec.RotationLower, spec.RotationUpper, U(2)) * TwoPi;
        float ty = Lerp(spec.HeightTranslationLower, spec.HeightTranslationUpper, U(3)) * height;
        float tx = Lerp(spec.WidthTranslationLower, spec.WidthTranslationUpper, U(4)) * width;
        float zy = 1f + Lerp(spec.HeightZoomLower, spec.HeightZoomUpper, U(5));
        float zx = spec.WidthZoomFollowsHeight ? zy : 1f + Lerp(spec.WidthZoomLower, spec.WidthZoomUpper, U(6));
        return new SampleTransform(flipX, flipY, MathF.Cos(angle), MathF.Sin(angle), zx, zy, tx, ty);
    }

    private static float Lerp(float lower, float upper, float u) => lower + (upper - lower) * u;

    /// <summary>
    /// Warps one image (height, width, channels) of <paramref name="src"/> into <paramref name="dst"/>:
    /// flip, zoom and rotate about the centre, then translate.
    /// </summary>
    public static void Warp(ReadOnlySpan<float> src, Span<float> dst, int height, int width, int channels, in AugmentSpec spec, in SampleTransform t)
    {
        float cx = (width - 1) * 0.5f, cy = (height - 1) * 0.5f;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float xs = t.FlipX ? width - 1 - x : x, ys = t.FlipY ? height - 1 - y : y;
                float dx = (xs - cx) * t.ZoomX, dy = (ys - cy) * t.ZoomY;
                float sx = t.Cos * dx - t.Sin * dy + cx - t.ShiftX;
                float sy = t.Sin * dx + t.Cos * dy + cy - t.ShiftY;
                for (int c = 0; c < channels; c++)
                    dst[(y * width + x) * channels + c] = Sample(src, height, width, channels, c, sx, sy, spec);
            }
    }

    private static float Sample(ReadOnlySpan<float> src, int height, int width, int channels, int c, float sx, float sy, in AugmentSpec spec)
    {
        if (spec.Interpolation == Interpolation.Nearest)
            return Fetch(src, height, width, channels, c, (int)MathF.Round(sy), (int)MathF.Round(sx), spec);
        float fx0 = MathF.Floor(sx), fy0 = MathF.Floor(sy);
        float wx = sx - fx0, wy = sy - fy0;
        int x0 = (int)fx0, y0 = (int)fy0;
        float top = (1f - wx) * Fetch(src, height, width, channels, c, y0, x0, spec) + wx * Fetch(src, height, width, channels, c, y0, x0 + 1, spec);
        float bottom = (1f - wx) * Fetch(src, height, width, channels, c, y0 + 1, x0, spec) + wx * Fetch(src, height, width, channels, c, y0 + 1, x0 + 1, spec);
        return (1f - wy) * top + wy * bottom;
    }

    private static float Fetch(ReadOnlySpan<float> src, int height, int width, int channels, int c, int y, int x, in AugmentSpec spec)
    {
        if (spec.Fill == FillMode.Constant && (y < 0 || y >= height || x < 0 || x >= width)) return spec.FillValue;
        return src[(Index(y, height, spec.Fill) * width + Index(x, width, spec.Fill)) * channels + c];
    }

    /// <summary>An index of an axis of <paramref name="n"/> pixels brought inside it by the fill mode.</summary>
    internal static int Index(int i, int n, FillMode fill)
    {
        if (i >= 0 && i < n) return i;
        switch (fill)
        {
            case FillMode.Wrap: { int m = i % n; return m < 0 ? m + n : m; }
            case FillMode.Reflect:
            {
                int period = 2 * n, m = i % period;
                if (m < 0) m += period;
                return m >= n ? period - 1 - m : m;
            }
            default: return i < 0 ? 0 : n - 1;
        }
    }

    /// <summary>
    /// The box (top, left, rows, columns) that <paramref name="spec"/> cuts out of every (height, width) image of a
    /// batch at step <paramref name="step"/>: the fixed box, or a (spec.Height, spec.Width) window at
    /// floor(U·(height − spec.Height + 1)), floor(U·(width − spec.Width + 1)), clamped to the last valid offset.
    /// </summary>
    public static (int Top, int Left, int Rows, int Columns) CropBox(in CropSpec spec, int height, int width, ulong seed, uint step, uint stream)
    {
        if (!spec.RandomOffsets) return (spec.BoxTop, spec.BoxLeft, spec.BoxHeight, spec.BoxWidth);
        return (CropOffset(Philox.Uniform(seed, step, stream, 0), height - spec.Height), CropOffset(Philox.Uniform(seed, step, stream, 1), width - spec.Width),
            spec.Height, spec.Width);
    }

    /// <summary>floor(u·(last + 1)) in float32, at most <paramref name="last"/>.</summary>
    private static int CropOffset(float u, int last) => Math.Min((int)MathF.Floor(u * (float)(last + 1)), last);

    /// <summary>
    /// Resizes the box (top, left, rows, columns) of one (height, width, channels) image of <paramref name="src"/>
    /// to the (outHeight, outWidth, channels) image <paramref name="dst"/>: bilinear with TF's half-pixel rule,
    /// in = (out + 0.5)·(box/out) − 0.5, the two neighbours floor(in) and ceil(in) clamped inside the box; a box of
    /// the output size is copied.
    /// </summary>
    public static void CropResize(ReadOnlySpan<float> src, Span<float> dst, int height, int width, int channels,
        int top, int left, int rows, int columns, int outHeight, int outWidth)
    {
        float scaleY = (float)rows / outHeight, scaleX = (float)columns / outWidth;
        bool copy = rows == outHeight && columns == outWidth;
        for (int y = 0; y < outHeight; y++)
        {
            var (y0, y1, ly) = Neighbours(y, scaleY, rows);
            for (int x = 0; x < outWidth; x++)
            {
                var (x0, x1, lx) = Neighbours(x, scaleX, columns);
                for (int c = 0; c < channels; c++)
                {
                    float v;
                    if (copy) v = src[((top + y) * width + left + x) * channels + c];
                    else
                    {
                        float a = src[((top + y0) * width + left + x0) * channels + c], b = src[((top + y0) * width + left + x1) * channels + c];
                        float d = src[((top + y1) * width + left + x0) * channels + c], e = src[((top + y1) * width + left + x1) * channels + c];
                        float upper = a + (b - a) * lx, lower = d + (e - d) * lx;
                        v = upper + (lower - upper) * ly;
                    }
                    dst[(y * outWidth + x) * channels + c] = v;
                }
            }
        }
    }

    /// <summary>The two box indices output index <paramref name="o"/> reads and the weight of the second.</summary>
    private static (int Lower, int Upper, float Lerp) Neighbours(int o, float scale, int size)
    {
        float at = ((float)o + 0.5f) * scale - 0.5f;
        float low = MathF.Floor(at);
        return (Math.Max((int)low, 0), Math.Min((int)MathF.Ceiling(at), size - 1), at - low);
    }
}
