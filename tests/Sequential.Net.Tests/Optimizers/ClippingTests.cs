using SequentialNet.Optimizers;
using static SequentialNet.Tests.Optimizers.OptimizerFixtures;

namespace SequentialNet.Tests.Optimizers;

/// <summary>
/// Keras's gradient clipping (base_optimizer._clip_gradients): clipNorm per variable, globalClipNorm over
/// all gradients, clipValue elementwise; at most one of them.
/// </summary>
public class ClippingTests
{
    // Kernel (0.1, 0.05), bias 0 → p = 0.5: kernel gradient (3, 4) (norm 5), bias gradient 1.
    private const float Kx = 0.1f, Ky = 0.05f;

    [Test]
    public void ClipNormBoundsEachVariableSeparately()
    {
        var (kernel, bias) = StepTwoVariables(new SGD(learningRate: 0.1, clipNorm: 2), Kx, Ky, 0f);
        // Kernel: (3, 4)·2/5 = (1.2, 1.6); bias 1 < 2 is untouched.
        Assert.That(kernel[0], Is.EqualTo(Kx - 0.1f * 1.2f).Within(1e-6));
        Assert.That(kernel[1], Is.EqualTo(Ky - 0.1f * 1.6f).Within(1e-6));
        Assert.That(bias, Is.EqualTo(-0.1f).Within(1e-6));
    }

    [Test]
    public void GlobalClipNormScalesAllGradientsTogether()
    {
        var (kernel, bias) = StepTwoVariables(new SGD(learningRate: 0.1, globalClipNorm: 2), Kx, Ky, 0f);
        double scale = 2 / Math.Sqrt(26);
        Assert.That(kernel[0], Is.EqualTo(Kx - 0.1 * 3 * scale).Within(1e-6));
        Assert.That(kernel[1], Is.EqualTo(Ky - 0.1 * 4 * scale).Within(1e-6));
        Assert.That(bias, Is.EqualTo(-0.1 * scale).Within(1e-6));
    }

    [Test]
    public void NormsBelowTheBoundAreUntouched()
    {
        var plain = StepTwoVariables(new SGD(learningRate: 0.1), Kx, Ky, 0f);
        foreach (var o in new Optimizer[] { new SGD(0.1, clipNorm: 10), new SGD(0.1, globalClipNorm: 10), new SGD(0.1, clipValue: 10) })
        {
            var clipped = StepTwoVariables(o, Kx, Ky, 0f);
            Assert.That(clipped.Kernel, Is.EqualTo(plain.Kernel));
            Assert.That(clipped.Bias, Is.EqualTo(plain.Bias));
        }
    }

    [Test]
    public void ClipValueClipsEachElement()
    {
        var (kernel, bias) = StepTwoVariables(new SGD(learningRate: 0.1, clipValue: 2), Kx, Ky, 0f);
        Assert.That(kernel[0], Is.EqualTo(Kx - 0.2f).Within(1e-6));
        Assert.That(kernel[1], Is.EqualTo(Ky - 0.2f).Within(1e-6));
        Assert.That(bias, Is.EqualTo(-0.1f).Within(1e-6));
    }

    [Test]
    public void ClippingWorksWithEveryOptimizer()
    {
        // Adam's first step moves by lr·sign(g) whatever the scale, so compare RMSprop with momentum instead:
        // clipped and unclipped runs must differ, and clipNorm = 5 (the kernel's norm) must change nothing.
        foreach (Func<double?, Optimizer> make in new Func<double?, Optimizer>[]
        {
            c => new RMSprop(0.01, momentum: 0.5, clipNorm: c), c => new Adagrad(0.01, clipNorm: c), c => new AdamW(0.01, clipNorm: c),
        })
        {
            var a = StepTwoVariables(make(null), Kx, Ky, 0f);
            var b = StepTwoVariables(make(1e-3), Kx, Ky, 0f);
            Assert.That(b.Kernel, Is.Not.EqualTo(a.Kernel), make(null).Name);
        }
    }

    [TestCase(1.0, 1.0, null)]
    [TestCase(1.0, null, 1.0)]
    [TestCase(null, 1.0, 1.0)]
    public void OnlyOneClippingArgumentMayBeSet(double? clipNorm, double? clipValue, double? globalClipNorm)
    {
        Assert.That(() => new Adam(clipNorm: clipNorm, clipValue: clipValue, globalClipNorm: globalClipNorm),
            Throws.ArgumentException.With.Message.StartsWith("Adam: only one of `clipNorm`, `clipValue` and `globalClipNorm` can be set. Received: clipNorm="));
    }

    [Test]
    public void TheErrorNamesTheValues()
        => Assert.That(() => new SGD(clipNorm: 1, clipValue: 0.5), Throws.ArgumentException.With.Message.EqualTo(
            "SGD: only one of `clipNorm`, `clipValue` and `globalClipNorm` can be set. Received: clipNorm=1, clipValue=0.5, globalClipNorm=null."));

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void RejectsNonPositiveBounds(double c)
    {
        Assert.That(() => new SGD(clipNorm: c), Throws.ArgumentException.With.Message.StartsWith("SGD: expected clipNorm > 0"));
        Assert.That(() => new RMSprop(clipValue: c), Throws.ArgumentException.With.Message.StartsWith("RMSprop: expected clipValue > 0"));
        Assert.That(() => new Adagrad(globalClipNorm: c), Throws.ArgumentException.With.Message.StartsWith("Adagrad: expected globalClipNorm > 0"));
    }
}
