using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Optimizers;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// <see cref="IBackend.ScheduleLearningRate"/> (lr_schedule_f32) on the emulated device against the CPU
/// backend and the host reference <see cref="LearningRateSchedule.Evaluate"/>, at every step of a range
/// that crosses each schedule's changes (warmup end, boundaries, staircase steps, the end of the decay).
/// </summary>
[Category("Emulated")]
public class EmulatedScheduleTests : EmulatedBackendPair
{
    private static IEnumerable<TestCaseData> Schedules()
    {
        yield return new TestCaseData(new ExponentialDecay(0.1, 10, 0.5)).SetName("exponential");
        yield return new TestCaseData(new ExponentialDecay(0.3, 7, 0.9, staircase: true)).SetName("exponential staircase");
        yield return new TestCaseData(new InverseTimeDecay(0.1, 10, 0.5)).SetName("inverse time");
        yield return new TestCaseData(new InverseTimeDecay(0.1, 3, 2.0, staircase: true)).SetName("inverse time staircase");
        yield return new TestCaseData(new CosineDecay(1.0, 40)).SetName("cosine");
        yield return new TestCaseData(new CosineDecay(0.0, 30, alpha: 0.1, warmupTarget: 0.2, warmupSteps: 10)).SetName("cosine with warmup");
        yield return new TestCaseData(new PiecewiseConstantDecay([10, 20, 35], [1.0, 0.5, 0.1, 0.01])).SetName("piecewise constant");
        yield return new TestCaseData(new PiecewiseConstantDecay([], [0.25])).SetName("piecewise constant, no boundary");
    }

    [TestCaseSource(nameof(Schedules))]
    public void TheDeviceRateIsTheScheduleAtTheStepCounter(LearningRateSchedule schedule)
    {
        var backends = new IBackend[] { Cpu, Emu };
        var tables = backends.Select(schedule.UploadTables).ToArray();
        var hyper = backends.Select(k => k.Allocate(StateSlots.HyperCount)).ToArray();
        var counters = backends.Select(k => k.AllocateInt(StateSlots.CounterCount)).ToArray();
        try
        {
            var rates = new float[2][];
            for (int b = 0; b < 2; b++)
            {
                var k = backends[b];
                k.Fill(hyper[b], float.NaN);
                k.UploadInt([0, 0, 0, 0], counters[b]);
                var device = schedule.ToDevice(tables[b]);
                rates[b] = new float[60];
                var one = new float[StateSlots.HyperCount];
                for (int step = 0; step < 60; step++)
                {
                    k.ScheduleLearningRate(device, hyper[b], counters[b]);
                    k.Download(hyper[b], one);
                    rates[b][step] = one[StateSlots.LearningRate];
                    k.AddToCounter(counters[b], StateSlots.OptimizerStep, 1);
                }
            }
            for (int step = 0; step < 60; step++)
            {
                float reference = (float)schedule.Evaluate(step);
                Assert.That(rates[0][step], Is.EqualTo(reference), $"CPU at step {step}");
                Assert.That(rates[1][step], Is.EqualTo(reference).Within(1).Ulps, $"emulated at step {step}");
            }
        }
        finally
        {
            foreach (var t in tables) if (t is { } pair) { pair.Boundaries.Dispose(); pair.Values.Dispose(); }
            foreach (var h in hyper) h.Dispose();
            foreach (var c in counters) c.Dispose();
        }
    }

    [Test]
    public void APiecewiseScheduleWithoutTablesIsAClearError()
    {
        var device = new DeviceSchedule(ScheduleKind.PiecewiseConstantDecay, 0, 0, 0, false, 0, double.NaN, 0, null, null, 2);
        using var hyper = Emu.Allocate(StateSlots.HyperCount);
        using var counters = Emu.AllocateInt(StateSlots.CounterCount);
        Assert.That(() => Emu.ScheduleLearningRate(device, hyper, counters), Throws.ArgumentException.With.Message.Contains("boundaries"));
        using var cpuHyper = Cpu.Allocate(StateSlots.HyperCount);
        using var cpuCounters = Cpu.AllocateInt(StateSlots.CounterCount);
        Assert.That(() => Cpu.ScheduleLearningRate(device, cpuHyper, cpuCounters), Throws.ArgumentException.With.Message.Contains("boundaries"));
    }
}
