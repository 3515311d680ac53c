using SequentialNet.Backends;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// <see cref="IBackend.AffineWarp"/> (affine_warp_f32) on the emulated device against the CPU backend: the
/// same per-sample transforms drawn from the device step counter, for every fill mode and interpolation.
/// </summary>
[Category("Emulated")]
public class EmulatedAugmentTests : EmulatedBackendPair
{
    private static IEnumerable<TestCaseData> Specs()
    {
        yield return new TestCaseData(new AugmentSpec { FlipHorizontal = true, FlipVertical = true, Interpolation = Interpolation.Nearest }).SetName("flips");
        yield return new TestCaseData(new AugmentSpec { RotationLower = -0.2f, RotationUpper = 0.3f }).SetName("rotation reflect bilinear");
        yield return new TestCaseData(new AugmentSpec { RotationLower = 0.25f, RotationUpper = 0.25f, Interpolation = Interpolation.Nearest }).SetName("quarter turn nearest");
        yield return new TestCaseData(new AugmentSpec { HeightTranslationLower = -0.4f, HeightTranslationUpper = 0.3f, WidthTranslationLower = -0.5f, WidthTranslationUpper = 0.5f, Fill = FillMode.Constant, FillValue = -2f }).SetName("translation constant");
        yield return new TestCaseData(new AugmentSpec { HeightZoomLower = -0.3f, HeightZoomUpper = 0.6f, WidthZoomFollowsHeight = true, Fill = FillMode.Wrap }).SetName("zoom wrap");
        yield return new TestCaseData(new AugmentSpec { HeightZoomLower = -0.5f, HeightZoomUpper = 0.5f, WidthZoomLower = 0.2f, WidthZoomUpper = 0.9f, RotationLower = -1f, RotationUpper = 1f, Fill = FillMode.Nearest, FlipHorizontal = true }).SetName("zoom rotation flip nearest fill");
    }

    [TestCaseSource(nameof(Specs))]
    public void TheDeviceWarpIsTheCpuWarp(AugmentSpec spec)
    {
        const int batch = 5, h = 7, w = 6, c = 3, n = batch * h * w * c;
        var rng = new Random(11);
        var x = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
        for (int step = 2; step < 4; step++)
        {
            var (cpu, emulated) = RunAtStep(x, n, step, (be, src, dst, counters) => be.AffineWarp(src, dst, batch, h, w, c, spec, 77, 6, counters));
            Assert.That(emulated.All(float.IsFinite), $"every output element written at step {step}");
            for (int i = 0; i < n; i++)
                Assert.That(emulated[i], Is.EqualTo(cpu[i]).Within(1e-5f), $"element {i} at step {step}");
        }
    }

    [Test]
    public void EachSamplesTransformIsDrawnOncePerSample()
    {
        // 5 samples of 28x28x1 = 3,920 elements: one launch of affine_params_f32 (a thread per sample) draws the
        // transforms, and the per-element warp reads them instead of drawing 7 Philox words per element.
        const int batch = 5, n = batch * 28 * 28;
        var device = (EmulatedDevice)Emu.Device;
        var spec = new AugmentSpec { RotationLower = -0.2f, RotationUpper = 0.3f, FlipHorizontal = true };
        var (cpu, emulated) = RunAtStep(Enumerable.Range(0, n).Select(i => (i % 97) / 97f).ToArray(), n, 3,
            (be, src, dst, counters) => be.AffineWarp(src, dst, batch, 28, 28, 1, spec, 5, 1, counters));
        Assert.That(device.LaunchCounts.GetValueOrDefault("affine_params_f32"), Is.EqualTo(1));
        Assert.That(device.LaunchCounts.GetValueOrDefault("affine_warp_f32"), Is.EqualTo(1));
        for (int i = 0; i < n; i++) Assert.That(emulated[i], Is.EqualTo(cpu[i]).Within(1e-5f), $"element {i}");
    }

    [Test]
    public void ShortBuffersAreClearErrors()
    {
        using var src = Emu.Allocate(10);
        using var dst = Emu.Allocate(100);
        using var counters = Emu.AllocateInt(StateSlots.CounterCount);
        Assert.That(() => Emu.AffineWarp(src, dst, 2, 5, 5, 1, default, 1, 0, counters), Throws.InstanceOf<ArgumentException>().With.Message.Contains("AffineWarp"));
    }
}
