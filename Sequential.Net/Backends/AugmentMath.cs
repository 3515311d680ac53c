namespace SequentialNet.Backends;

/// <summary>
/// The host form of the affine warp (kernels/augment.cu computes the same float expressions): the transform of
/// sample b is drawn from Philox at (seed, step, stream, b·8 + k), k = 0…6, and maps every output pixel to the
/// source point it samples.
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
}
