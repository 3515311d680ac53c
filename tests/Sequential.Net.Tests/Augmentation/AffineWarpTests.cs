using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;

namespace SequentialNet.Tests.Augmentation;

/// <summary>The CPU affine warp on known images: flips as the Philox draw says, exact 90° rotations, constant fill, repeatability.</summary>
public class AffineWarpTests
{
    private const ulong Seed = 1234;

    /// <summary>Warps (batch, h, w, c) images with the step counter at <paramref name="step"/>.</summary>
    private static float[] Warp(float[] images, int batch, int h, int w, int c, AugmentSpec spec, int step = 0, uint stream = 3, ulong seed = Seed)
    {
        using var cpu = new CpuBackend();
        using var src = cpu.Allocate(images.Length);
        using var dst = cpu.Allocate(images.Length);
        using var counters = cpu.AllocateInt(StateSlots.CounterCount);
        var state = new int[StateSlots.CounterCount];
        state[StateSlots.OptimizerStep] = step;
        cpu.UploadInt(state, counters);
        cpu.Upload(images, src);
        cpu.AffineWarp(src, dst, batch, h, w, c, spec, seed, stream, counters);
        var result = new float[images.Length];
        cpu.Download(dst, result);
        return result;
    }

    private static float[] Pattern(int batch, int h, int w, int c)
        => Enumerable.Range(0, batch * h * w * c).Select(i => (float)(i % (h * w * c)) + 1).ToArray();

    [Test]
    public void HorizontalFlipMirrorsExactlyTheSamplesWhoseDrawSaysFlip()
    {
        const int batch = 16, h = 3, w = 4, c = 2;
        var x = Pattern(batch, h, w, c);
        var y = Warp(x, batch, h, w, c, new AugmentSpec { FlipHorizontal = true, Interpolation = Interpolation.Nearest });
        int flipped = 0;
        for (int b = 0; b < batch; b++)
        {
            bool flip = Philox.Uniform(Seed, 0, 3, (uint)(b * 8)) < 0.5f;
            flipped += flip ? 1 : 0;
            for (int r = 0; r < h; r++)
                for (int col = 0; col < w; col++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        int from = flip ? w - 1 - col : col;
                        Assert.That(y[((b * h + r) * w + col) * c + ch], Is.EqualTo(x[((b * h + r) * w + from) * c + ch]), $"sample {b} ({r}, {col}, {ch})");
                    }
        }
        Assert.That(flipped, Is.InRange(1, batch - 1), "a batch of 16 should see both outcomes");
    }

    [Test]
    public void BilinearFlipIsExactToo()
    {
        var x = Pattern(8, 5, 3, 1);
        var nearest = Warp(x, 8, 5, 3, 1, new AugmentSpec { FlipHorizontal = true, FlipVertical = true, Interpolation = Interpolation.Nearest });
        var bilinear = Warp(x, 8, 5, 3, 1, new AugmentSpec { FlipHorizontal = true, FlipVertical = true });
        Assert.That(bilinear, Is.EqualTo(nearest));
    }

    [TestCase(5)]
    [TestCase(4)]
    public void RotationByAQuarterTurnMapsAKnownPatternExactly(int n)
    {
        var x = Pattern(2, n, n, 1);
        var y = Warp(x, 2, n, n, 1, new AugmentSpec { RotationLower = 0.25f, RotationUpper = 0.25f, Interpolation = Interpolation.Nearest });
        // Counter-clockwise by 90°: output (row, col) samples input (row = col, col = n − 1 − row).
        for (int b = 0; b < 2; b++)
            for (int r = 0; r < n; r++)
                for (int col = 0; col < n; col++)
                    Assert.That(y[(b * n + r) * n + col], Is.EqualTo(x[(b * n + col) * n + (n - 1 - r)]), $"sample {b} ({r}, {col})");
    }

    [Test]
    public void TranslationWithConstantFillShiftsAndFills()
    {
        // A fixed translation of +0.5·width (right) and −0.25·height (up) on an 4×4 image.
        const int n = 4;
        var x = Pattern(1, n, n, 1);
        var spec = new AugmentSpec
        {
            WidthTranslationLower = 0.5f, WidthTranslationUpper = 0.5f, HeightTranslationLower = -0.25f, HeightTranslationUpper = -0.25f,
            Fill = FillMode.Constant, FillValue = -7f,
        };
        var y = Warp(x, 1, n, n, 1, spec);
        for (int r = 0; r < n; r++)
            for (int col = 0; col < n; col++)
            {
                int sr = r + 1, sc = col - 2;
                float expected = sr < n && sc >= 0 ? x[sr * n + sc] : -7f;
                Assert.That(y[r * n + col], Is.EqualTo(expected), $"({r}, {col})");
            }
    }

    [Test]
    public void ZoomInByHalfEnlargesTheCentre()
    {
        // Zoom 1 + (−0.5) on both axes of a 4×4 image: output pixel x samples round((x − 1.5)·0.5 + 1.5) = 1, 1, 2, 2.
        const int n = 4;
        var x = Pattern(1, n, n, 1);
        var y = Warp(x, 1, n, n, 1, new AugmentSpec { HeightZoomLower = -0.5f, HeightZoomUpper = -0.5f, WidthZoomFollowsHeight = true, Interpolation = Interpolation.Nearest });
        int[] source = [1, 1, 2, 2];
        for (int r = 0; r < n; r++)
            for (int col = 0; col < n; col++)
                Assert.That(y[r * n + col], Is.EqualTo(x[source[r] * n + source[col]]), $"({r}, {col})");
    }

    [TestCase(FillMode.Reflect, new[] { 2f, 1f, 1f, 2f, 3f, 3f, 2f })]
    [TestCase(FillMode.Wrap, new[] { 2f, 3f, 1f, 2f, 3f, 1f, 2f })]
    [TestCase(FillMode.Nearest, new[] { 1f, 1f, 1f, 2f, 3f, 3f, 3f })]
    public void FillModesFollowKeras(FillMode fill, float[] expected)
    {
        // Source indices −2 … 4 of the row (1, 2, 3).
        float[] row = [1, 2, 3];
        var got = Enumerable.Range(-2, 7).Select(i => row[AugmentMath.Index(i, 3, fill)]).ToArray();
        Assert.That(got, Is.EqualTo(expected));
    }

    [Test]
    public void SameSeedAndStepRepeatADifferentStepOrSeedChanges()
    {
        var x = Pattern(6, 6, 5, 3);
        var spec = new AugmentSpec { RotationLower = -0.1f, RotationUpper = 0.1f, HeightZoomLower = -0.2f, HeightZoomUpper = 0.2f, WidthZoomFollowsHeight = true, FlipHorizontal = true };
        var a = Warp(x, 6, 6, 5, 3, spec, step: 4);
        Assert.That(Warp(x, 6, 6, 5, 3, spec, step: 4), Is.EqualTo(a));
        Assert.That(Warp(x, 6, 6, 5, 3, spec, step: 5), Is.Not.EqualTo(a));
        Assert.That(Warp(x, 6, 6, 5, 3, spec, step: 4, seed: Seed + 1), Is.Not.EqualTo(a));
        Assert.That(Warp(x, 6, 6, 5, 3, spec, step: 4, stream: 9), Is.Not.EqualTo(a));
    }

    [Test]
    public void AnEmptySpecIsTheIdentity()
    {
        var x = Pattern(3, 4, 5, 2);
        Assert.That(Warp(x, 3, 4, 5, 2, default), Is.EqualTo(x));
    }
}
