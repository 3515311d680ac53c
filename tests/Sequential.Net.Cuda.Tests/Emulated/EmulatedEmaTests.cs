using SequentialNet.Backends;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// Optimizer EMA (kernels/optim.cu, ema_update_f32) against the CPU backend's EmaUpdate step by step, and in
/// recorded (captured) training steps: SGD on one weight (x = 1, y = 0, MSE, so w ← w·(1 − 2·lr)) with EMA and an
/// overwrite every 3 steps, where the momentum and the overwrite must follow the step counter at replay time.
/// </summary>
[Category("Emulated"), NonParallelizable]
public class EmulatedEmaTests : EmulatedBackendPair
{
    [Test]
    public void EmaUpdateMatchesTheCpuAcrossSteps()
    {
        const int n = 1031;
        Pair param = Floats(RandomFloats(n, 80)), average = Floats(new float[n]);
        var counters = new Pair(Cpu.AllocateInt(StateSlots.CounterCount), Emu.AllocateInt(StateSlots.CounterCount));
        Cpu.UploadInt(new int[StateSlots.CounterCount], counters.Cpu);
        Emu.UploadInt(new int[StateSlots.CounterCount], counters.Emu);
        for (int step = 0; step < 5; step++)
        {
            Pair next = Floats(RandomFloats(n, 81 + step));
            foreach (IBackend b in new IBackend[] { Cpu, Emu })
            {
                b.Copy(next.On(b), param.On(b));    // a new iterate, as an optimizer step leaves it
                b.EmaUpdate(param.On(b), average.On(b), counters.On(b), 0.9f, 3);
                b.AddToCounter(counters.On(b), StateSlots.OptimizerStep, 1);
            }
            float[] avg = AssertSame(average, Parity.ElementwiseRtol, $"average after step {step}");
            float[] w = AssertSame(param, Parity.ElementwiseRtol, $"parameters after step {step}");
            if (step == 0) Assert.That(avg, Is.EqualTo(w), "the first step's average is the variable (μ = 0)");
            if (step == 2) Assert.That(w, Is.EqualTo(avg), "step 3 overwrites the variables");
            if (step == 3) Assert.That(w, Is.Not.EqualTo(avg));
        }
    }

    [Test]
    public void ReplayedStepsFollowTheStepCounter()
    {
        RequireEmulator();
        const int steps = 8;
        const double lr = 0.1, momentum = 0.6;
        double w = 0.75, average = 0;
        for (int t = 0; t < steps; t++)
        {
            w *= 1 - 2 * lr;
            double mu = t == 0 ? 0 : momentum;
            average = mu * average + (1 - mu) * w;
            if ((t + 1) % 3 == 0) w = average;
        }
        var device = OnEmulatedCuda(() =>
        {
            using var model = new Sequential(new Dense(1, useBias: false, inputShape: [1]));
            model.Compile(optimizer: new SGD(lr) { UseEma = true, EmaMomentum = momentum, EmaOverwriteFrequency = 3 }, loss: "mse", device: "cuda");
            model.SetWeights([new Tensor([0.75f], 1, 1)]);
            model.Fit(new Tensor(Enumerable.Repeat(1f, steps).ToArray(), steps, 1), new Tensor(new float[steps], steps, 1), batchSize: 1, epochs: 1, verbose: 0);
            Assert.That(model.GetWeights()[0].Data[0], Is.EqualTo(average).Within(1e-6), "Fit ends with the average");
        });
        if (Environment.GetEnvironmentVariable("SEQUENTIAL_NET_CAPTURE") != "0")
            Assert.That(device!.CaptureCounts.Replayed, Is.GreaterThanOrEqualTo(steps - 2), "the steps ran as replays of a recorded step");
    }
}
