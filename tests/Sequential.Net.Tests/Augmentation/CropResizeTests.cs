using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;

namespace SequentialNet.Tests.Augmentation;

/// <summary>
/// The CPU crop primitive: a training crop is an exact slice at one offset per batch, drawn from the step
/// counter; the smart resize matches a float64 reference computed here; a box of the output size is copied.
/// </summary>
public class CropResizeTests
{
    private const ulong Seed = 4321;

    /// <summary>Crops (batch, h, w, c) images with the step counter at <paramref name="step"/>.</summary>
    private static float[] Crop(float[] images, int batch, int h, int w, int c, CropSpec spec, int step = 0, uint stream = 2, ulong seed = Seed)
    {
        using var cpu = new CpuBackend();
        int outLength = batch * spec.Height * spec.Width * c;
        using var src = cpu.Allocate(images.Length);
        using var dst = cpu.Allocate(outLength);
        using var counters = cpu.AllocateInt(StateSlots.CounterCount);
        var state = new int[StateSlots.CounterCount];
        state[StateSlots.OptimizerStep] = step;
        cpu.UploadInt(state, counters);
        cpu.Upload(images, src);
        cpu.Fill(dst, float.NaN);
        cpu.CropResize(src, dst, batch, h, w, c, spec, seed, stream, counters);
        var result = new float[outLength];
        cpu.Download(dst, result);
        return result;
    }

    /// <summary>Distinct values: element i is i + 1.</summary>
    private static float[] Pattern(int n) => Enumerable.Range(1, n).Select(i => (float)i).ToArray();

    private static float[] RandomImages(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>The offset (top, left) at which <paramref name="crop"/> is an exact slice of sample b, or null.</summary>
    private static (int Top, int Left)? FindSlice(float[] x, float[] crop, int b, int h, int w, int c, int oh, int ow)
    {
        for (int top = 0; top + oh <= h; top++)
            for (int left = 0; left + ow <= w; left++)
            {
                bool same = true;
                for (int y = 0; y < oh && same; y++)
                    for (int xo = 0; xo < ow && same; xo++)
                        for (int ch = 0; ch < c && same; ch++)
                            same = crop[((b * oh + y) * ow + xo) * c + ch] == x[((b * h + top + y) * w + left + xo) * c + ch];
                if (same) return (top, left);
            }
        return null;
    }

    [Test]
    public void ATrainingCropIsAnExactSliceAtTheSameInRangeOffsetForTheWholeBatch()
    {
        const int batch = 5, h = 9, w = 11, c = 2, oh = 5, ow = 6;
        var x = Pattern(batch * h * w * c);
        for (int step = 0; step < 6; step++)
        {
            var y = Crop(x, batch, h, w, c, CropSpec.Random(oh, ow), step);
            var first = FindSlice(x, y, 0, h, w, c, oh, ow);
            Assert.That(first, Is.Not.Null, $"step {step}: sample 0 is not a slice of its input");
            Assert.That(first!.Value.Top, Is.InRange(0, h - oh));
            Assert.That(first.Value.Left, Is.InRange(0, w - ow));
            var box = AugmentMath.CropBox(CropSpec.Random(oh, ow), h, w, Seed, (uint)step, 2);
            Assert.That(first.Value, Is.EqualTo((box.Top, box.Left)), "the offset is the documented Philox draw");
            for (int b = 1; b < batch; b++)
                Assert.That(FindSlice(x, y, b, h, w, c, oh, ow), Is.EqualTo(first), $"step {step}: sample {b} is cropped elsewhere");
        }
    }

    [Test]
    public void OffsetsVaryAcrossStepsRepeatUnderTheSameSeedAndStepAndCoverTheRange()
    {
        const int h = 6, w = 7;
        var spec = CropSpec.Random(4, 4);
        var seen = new HashSet<(int, int)>();
        for (uint step = 0; step < 200; step++)
        {
            var (top, left, rows, columns) = AugmentMath.CropBox(spec, h, w, Seed, step, 2);
            Assert.That((rows, columns), Is.EqualTo((4, 4)));
            Assert.That(top, Is.InRange(0, h - 4));
            Assert.That(left, Is.InRange(0, w - 4));
            seen.Add((top, left));
        }
        Assert.That(seen, Has.Count.EqualTo(3 * 4), "200 steps should reach every one of the 3×4 offsets");

        var x = Pattern(2 * h * w);
        var a = Crop(x, 2, h, w, 1, spec, step: 7);
        Assert.That(Crop(x, 2, h, w, 1, spec, step: 7), Is.EqualTo(a), "same seed and step");
        var steps = Enumerable.Range(8, 6).Select(s => Crop(x, 2, h, w, 1, spec, step: s)).ToList();
        Assert.That(steps.Any(s => !s.SequenceEqual(a)), "other steps crop elsewhere");
    }

    /// <summary>Keras's smart resize in float64: the largest centred box of the target ratio, TF half-pixel bilinear.</summary>
    private static double[] SmartResize(float[] x, int batch, int h, int w, int c, int oh, int ow)
    {
        int boxH = Math.Max(Math.Min(h, (int)((double)w * oh / ow)), 1), boxW = Math.Max(Math.Min(w, (int)((double)h * ow / oh)), 1);
        int top = (h - boxH) / 2, left = (w - boxW) / 2;
        var result = new double[batch * oh * ow * c];
        (int, int, double) Axis(int o, int box, int size)
        {
            double at = (o + 0.5) * ((double)box / size) - 0.5;
            return (Math.Max((int)Math.Floor(at), 0), Math.Min((int)Math.Ceiling(at), box - 1), at - Math.Floor(at));
        }
        for (int b = 0; b < batch; b++)
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        var (y0, y1, ly) = Axis(y, boxH, oh);
                        var (x0, x1, lx) = Axis(xo, boxW, ow);
                        double P(int r, int col) => x[((b * h + top + r) * w + left + col) * c + ch];
                        double upper = P(y0, x0) * (1 - lx) + P(y0, x1) * lx, lower = P(y1, x0) * (1 - lx) + P(y1, x1) * lx;
                        result[((b * oh + y) * ow + xo) * c + ch] = upper * (1 - ly) + lower * ly;
                    }
        return result;
    }

    [TestCase(7, 10, 4, 4)]
    [TestCase(7, 10, 3, 5)]
    [TestCase(8, 8, 6, 6)]
    [TestCase(3, 5, 4, 6)]
    [TestCase(5, 4, 5, 2)]
    public void TheResizeIsKerasSmartResize(int h, int w, int oh, int ow)
    {
        const int batch = 3, c = 2;
        var x = RandomImages(batch * h * w * c, h * 100 + w);
        var spec = CropSpec.Resize(h, w, oh, ow);
        var y = Crop(x, batch, h, w, c, spec, step: 5);
        var expected = SmartResize(x, batch, h, w, c, oh, ow);
        for (int i = 0; i < expected.Length; i++)
            Assert.That(y[i], Is.EqualTo(expected[i]).Within(1e-6 + 1e-6 * Math.Abs(expected[i])), $"element {i}");
        // The same result in every step: the resize draws nothing.
        Assert.That(Crop(x, batch, h, w, c, spec, step: 6), Is.EqualTo(y));
    }

    [Test]
    public void TheSmartResizeBoxIsKerasCentredLargestBox()
    {
        var s = CropSpec.Resize(7, 10, 4, 4);
        Assert.That((s.BoxTop, s.BoxLeft, s.BoxHeight, s.BoxWidth, s.RandomOffsets), Is.EqualTo((0, 1, 7, 7, false)));
        s = CropSpec.Resize(10, 7, 2, 3);
        Assert.That((s.BoxTop, s.BoxLeft, s.BoxHeight, s.BoxWidth), Is.EqualTo((3, 0, 4, 7)));
        Assert.That(CropSpec.For(9, 9, 4, 4, training: true).RandomOffsets, Is.True);
        Assert.That(CropSpec.For(9, 4, 4, 4, training: true).RandomOffsets, Is.False, "not larger in both dimensions");
        Assert.That(CropSpec.For(9, 9, 4, 4, training: false).RandomOffsets, Is.False);
    }

    [Test]
    public void ABoxOfTheOutputSizeIsCopiedExactly()
    {
        const int batch = 2, h = 6, w = 5, c = 3;
        var x = RandomImages(batch * h * w * c, 3);
        x[7] = float.PositiveInfinity; x[20] = float.NegativeInfinity;
        Assert.That(Crop(x, batch, h, w, c, CropSpec.Resize(h, w, h, w)), Is.EqualTo(x));
        Assert.That(Crop(x, batch, h, w, c, CropSpec.Random(h, w), step: 3), Is.EqualTo(x), "a window of the whole image");
    }

    [Test]
    public void BadArgumentsAreClearErrors()
    {
        using var cpu = new CpuBackend();
        using var src = cpu.Allocate(2 * 4 * 4);
        using var dst = cpu.Allocate(2 * 4 * 4);
        using var counters = cpu.AllocateInt(StateSlots.CounterCount);
        Assert.That(() => cpu.CropResize(src, dst, 2, 4, 4, 1, CropSpec.Random(5, 2), 1, 0, counters),
            Throws.ArgumentException.With.Message.Contains("CropResize").And.Message.Contains("no larger than the 4x4 input"));
        Assert.That(() => cpu.CropResize(src, dst, 2, 4, 4, 1, new CropSpec { Height = 2, Width = 2, BoxTop = 3, BoxHeight = 2, BoxWidth = 2 }, 1, 0, counters),
            Throws.ArgumentException.With.Message.Contains("inside the 4x4 input"));
        Assert.That(() => cpu.CropResize(src, dst, 2, 4, 4, 1, new CropSpec { Height = 0, Width = 2, RandomOffsets = true }, 1, 0, counters),
            Throws.ArgumentException.With.Message.Contains("positive output size"));
        Assert.That(() => cpu.CropResize(src, dst, 2, 8, 4, 1, CropSpec.Random(2, 2), 1, 0, counters),
            Throws.ArgumentException.With.Message.Contains("src of at least 64"));
        Assert.That(() => cpu.CropResize(src, dst, 2, 0, 4, 1, CropSpec.Random(2, 2), 1, 0, counters),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("positive image size"));
    }
}
