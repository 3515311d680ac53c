using SequentialNet.Backends;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>The Adamax, Adadelta and Lion steps of kernels/optim.cu against the CPU backend's, over several steps (docs/testing.md).</summary>
[Category("Emulated")]
public class EmulatedOptimizerStepTests : EmulatedBackendPair
{
    private Pair IntCounters()
    {
        var pair = new Pair(Cpu.AllocateInt(StateSlots.CounterCount), Emu.AllocateInt(StateSlots.CounterCount));
        Cpu.UploadInt(new int[StateSlots.CounterCount], pair.Cpu);
        Emu.UploadInt(new int[StateSlots.CounterCount], pair.Emu);
        return pair;
    }

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
    public void AdamaxStepsReadTheStepCounterOnTheDevice()
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 50)), m = Floats(new float[n]), u = Floats(new float[n]), hyper = Floats([1e-2f, 0, 0, 0]);
        Pair counters = IntCounters();
        for (int step = 0; step < 3; step++)
        {
            Pair grad = Floats(AwayFromZero(n, 51 + step));
            Both(k =>
            {
                k.AdamaxStep(param.On(k), grad.On(k), m.On(k), u.On(k), hyper.On(k), counters.On(k), 0.9f, 0.999f, 1e-7f);
                k.AddToCounter(counters.On(k), StateSlots.OptimizerStep, 1);
            });
        }
        AssertSame(param, Parity.ElementwiseRtol, "Adamax parameters");
        AssertSame(m, Parity.ElementwiseRtol, "Adamax first moments");
        AssertSame(u, Parity.ElementwiseRtol, "Adamax infinity norms");
    }

    [Test]
    public void AdadeltaSteps()
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 70)), a = Floats(new float[n]), b = Floats(new float[n]), hyper = Floats([1f, 0, 0, 0]);
        for (int step = 0; step < 3; step++)
        {
            Pair grad = Floats(AwayFromZero(n, 71 + step));
            Both(k => k.AdadeltaStep(param.On(k), grad.On(k), a.On(k), b.On(k), hyper.On(k), 0.95f, 1e-7f));
        }
        AssertSame(param, Parity.ElementwiseRtol, "Adadelta parameters");
        AssertSame(a, Parity.ElementwiseRtol, "Adadelta accumulated gradients");
        AssertSame(b, Parity.ElementwiseRtol, "Adadelta accumulated updates");
    }

    [Test]
    public void LionSteps()
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 60)), m = Floats(AwayFromZero(n, 61)), hyper = Floats([1e-2f, 0, 0, 0]);
        for (int step = 0; step < 3; step++)
        {
            Pair grad = Floats(AwayFromZero(n, 62 + step));
            Both(k => k.LionStep(param.On(k), grad.On(k), m.On(k), hyper.On(k), 0.9f, 0.99f));
        }
        AssertSame(param, Parity.ElementwiseRtol, "Lion parameters");
        AssertSame(m, Parity.ElementwiseRtol, "Lion momentum");
    }
}
