using SequentialNet.Backends;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// <see cref="IBackend.CropResize"/> (crop_resize_f32) on the emulated device against the CPU backend: the same
/// batch-wide random offsets drawn from the device step counter, and the same bilinear resize, bit for bit.
/// </summary>
[Category("Emulated")]
public class EmulatedCropTests : EmulatedBackendPair
{
    private const int Batch = 4, H = 7, W = 10, C = 3;

    private static IEnumerable<TestCaseData> Specs()
    {
        yield return new TestCaseData(CropSpec.Random(4, 6)).SetName("random window");
        yield return new TestCaseData(CropSpec.Random(H, W)).SetName("random window of the whole image");
        yield return new TestCaseData(CropSpec.Resize(H, W, 4, 4)).SetName("smart resize 7x10 to 4x4");
        yield return new TestCaseData(CropSpec.Resize(H, W, 3, 8)).SetName("smart resize 7x10 to 3x8");
        yield return new TestCaseData(CropSpec.Resize(H, W, 12, 9)).SetName("smart resize up");
        yield return new TestCaseData(new CropSpec { Height = 2, Width = 5, BoxTop = 3, BoxLeft = 4, BoxHeight = 2, BoxWidth = 5 }).SetName("box copy");
    }

    [TestCaseSource(nameof(Specs))]
    public void TheDeviceCropIsTheCpuCrop(CropSpec spec)
    {
        const int n = Batch * H * W * C;
        int m = Batch * spec.Height * spec.Width * C;
        var rng = new Random(5);
        var x = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        for (int step = 0; step < 4; step++)
        {
            var (cpu, emulated) = RunAtStep(x, m, step, (be, src, dst, counters) => be.CropResize(src, dst, Batch, H, W, C, spec, 99, 4, counters));
            Assert.That(emulated.All(float.IsFinite), $"every output element written at step {step}");
            Assert.That(emulated, Is.EqualTo(cpu), $"step {step}");
        }
    }

    [Test]
    public void BadArgumentsAreClearErrors()
    {
        using var src = Emu.Allocate(10);
        using var dst = Emu.Allocate(100);
        using var counters = Emu.AllocateInt(StateSlots.CounterCount);
        Assert.That(() => Emu.CropResize(src, dst, 2, 5, 5, 1, CropSpec.Random(3, 3), 1, 0, counters), Throws.InstanceOf<ArgumentException>().With.Message.Contains("CropResize"));
        Assert.That(() => Emu.CropResize(dst, dst, 2, 5, 5, 1, CropSpec.Random(6, 3), 1, 0, counters), Throws.ArgumentException.With.Message.Contains("no larger than the 5x5 input"));
    }
}
