using SequentialNet.Backends;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>The amsgrad Adam and Ftrl steps of kernels/optim.cu against the CPU backend's, over several steps.</summary>
[Category("Emulated")]
public class EmulatedAmsgradFtrlTests : EmulatedBackendPair
{
    private static float[] AwayFromZero(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)SequentialNet.Tests.Graph.OpCases.AwayFromZero(random)).ToArray();
    }

    private void Both(Action<IBackend> action)
    {
        action(Cpu);
        action(Emu);
    }

    [Test]
    public void AmsgradStepsKeepTheRunningMaximum()
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 80)), m = Floats(new float[n]), v = Floats(new float[n]), vHat = Floats(new float[n]);
        Pair hyper = Floats([1e-2f, 0, 0, 0]);
        var counters = new Pair(Cpu.AllocateInt(StateSlots.CounterCount), Emu.AllocateInt(StateSlots.CounterCount));
        Cpu.UploadInt(new int[StateSlots.CounterCount], counters.Cpu);
        Emu.UploadInt(new int[StateSlots.CounterCount], counters.Emu);
        for (int step = 0; step < 4; step++)
        {
            // Gradients shrink step by step so v falls below v̂ and the maximum matters.
            Pair grad = Floats([.. AwayFromZero(n, 81 + step).Select(g => g / (1 + 3 * step))]);
            Both(k =>
            {
                k.AdamAmsgradStep(param.On(k), grad.On(k), m.On(k), v.On(k), vHat.On(k), hyper.On(k), counters.On(k), 0.9f, 0.999f, 1e-7f);
                k.AddToCounter(counters.On(k), StateSlots.OptimizerStep, 1);
            });
        }
        AssertSame(param, Parity.ElementwiseRtol, "amsgrad parameters");
        AssertSame(v, Parity.ElementwiseRtol, "amsgrad velocities");
        AssertSame(vHat, Parity.ElementwiseRtol, "amsgrad velocity maxima");
    }

    [Test]
    public void FtrlSteps()
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 90)), accumulator = Floats(Enumerable.Repeat(0.1f, n).ToArray()), linear = Floats(new float[n]);
        Pair hyper = Floats([5e-2f, 0, 0, 0]);
        for (int step = 0; step < 3; step++)
        {
            Pair grad = Floats(AwayFromZero(n, 91 + step));
            Both(k => k.FtrlStep(param.On(k), grad.On(k), accumulator.On(k), linear.On(k), hyper.On(k), -0.2f, 0.05f, 0.15f, 0.01f, 0.3f));
        }
        AssertSame(param, Parity.ElementwiseRtol, "Ftrl parameters");
        AssertSame(accumulator, Parity.ElementwiseRtol, "Ftrl accumulators");
        AssertSame(linear, Parity.ElementwiseRtol, "Ftrl linears");
    }
}
