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
        var results = new float[2][];
        var backends = new IBackend[] { Cpu, Emu };
        for (int step = 0; step < 4; step++)
        {
            for (int k = 0; k < 2; k++)
            {
                var be = backends[k];
                using var src = be.Allocate(n);
                using var dst = be.Allocate(m);
                using var counters = be.AllocateInt(StateSlots.CounterCount);
                var state = new int[StateSlots.CounterCount];
                state[StateSlots.OptimizerStep] = step;
                be.UploadInt(state, counters);
                be.Upload(x, src);
                be.Fill(dst, float.NaN);
                be.CropResize(src, dst, Batch, H, W, C, spec, 99, 4, counters);
                results[k] = new float[m];
                be.Download(dst, results[k]);
            }
            Assert.That(results[1], Is.EqualTo(results[0]), $"step {step}");
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
