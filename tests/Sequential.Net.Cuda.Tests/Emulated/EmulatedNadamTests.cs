using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// <see cref="IBackend.NadamStep"/> (nadam_u_product_f32 then nadam_step_f32) on the emulated device against
/// the CPU backend: parameters, moments and the running momentum product in the hyper-parameters.
/// </summary>
[Category("Emulated")]
public class EmulatedNadamTests
{
    [Test]
    public void NadamStepsMatchTheCpu()
    {
        RequireEmulator();
        using var cpu = new CpuBackend();
        using var emu = new CudaBackend(new EmulatedDevice());
        var backends = new IBackend[] { cpu, emu };
        const int n = 1031;
        var random = new Random(5);
        float[] start = [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        var results = new List<float[]>[2];
        for (int b = 0; b < 2; b++)
        {
            var k = backends[b];
            var param = k.Allocate(n); var m = k.Allocate(n); var v = k.Allocate(n); var grad = k.Allocate(n);
            var hyper = k.Allocate(StateSlots.HyperCount); var counters = k.AllocateInt(StateSlots.CounterCount);
            k.Upload(start, param); k.Fill(m, 0); k.Fill(v, 0);
            k.Upload([0.01f, 123f, 0, 0], hyper); // the stale product at t = 0 is ignored
            k.UploadInt([0, 0, 0, 0], counters);
            for (int step = 0; step < 5; step++)
            {
                var r = new Random(40 + step);
                k.Upload([.. Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() - 0.5))], grad);
                k.NadamStep(param, grad, m, v, hyper, counters, 0.9f, 0.999f, 1e-7f);
                k.AddToCounter(counters, StateSlots.OptimizerStep, 1);
            }
            results[b] = [.. new[] { param, m, v, hyper }.Select(buffer =>
            {
                var host = new float[buffer.Length];
                k.Download(buffer, host);
                return host;
            })];
            foreach (var buffer in new[] { param, m, v, grad, hyper, counters }) buffer.Dispose();
        }
        string[] names = ["parameters", "momentum", "velocity", "hyper"];
        for (int i = 0; i < names.Length; i++)
            for (int j = 0; j < results[0][i].Length; j++)
                Assert.That(results[1][i][j], Is.EqualTo(results[0][i][j]).Within(Parity.Atol + Parity.ElementwiseRtol * Math.Abs(results[0][i][j])), $"{names[i]}[{j}]");
        Assert.That(results[0][3][StateSlots.NadamUProduct], Is.EqualTo(ExpectedProduct(5)).Within(1e-6), "u_product after 5 steps");
    }

    private static double ExpectedProduct(int steps)
    {
        double p = 1;
        for (int t = 1; t <= steps; t++) p *= 0.9 * (1 - 0.5 * Math.Pow(0.96, t));
        return p;
    }
}
