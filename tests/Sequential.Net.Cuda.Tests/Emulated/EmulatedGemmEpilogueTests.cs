using SequentialNet.Backends;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// GemmBiasActivation on the emulated device: after the GEMM, ONE kernel pass over C adds the bias and applies
/// the activation, bitwise equal to the separate row broadcast and activation, for every activation a Dense
/// layer takes, at odd shapes; and within the GEMM tolerance of the CPU backend's fused op.
/// </summary>
[Category("Emulated")]
public class EmulatedGemmEpilogueTests : EmulatedBackendPair
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        foreach (var (m, n, k) in new[] { (32, 128, 784), (32, 10, 128), (7, 13, 17), (1, 1, 1), (1000, 10, 3) })
            yield return new TestCaseData(m, n, k).SetArgDisplayNames($"{m}x{n}x{k}");
    }

    [TestCaseSource(nameof(Shapes))]
    public void OnePassOverCEqualsTheSeparatePasses(int m, int n, int k)
    {
        Check(new Relu(), m, n, k);
        Check(new Identity(), m, n, k);
        Check(new LeakyRelu(0.3f), m, n, k);
        Check(new Sigmoid(), m, n, k);
        Check(new Tanh(), m, n, k);
        Check(new Elu(0.7f), m, n, k);
        Check(new Gelu(), m, n, k);
        Check(new Swish(), m, n, k);
    }

    private void Check<TOp>(TOp op, int m, int n, int k) where TOp : struct, IUnaryOp
    {
        var random = new Random(m * 31 + n * 7 + k);
        float[] Values(int count, float scale) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
        var a = Floats(Values(m * k, 1f));
        var b = Floats(Values(k * n, 1f));
        var bias = Floats(Values(n, 0.5f));
        var fused = Poison(m * n);
        var device = (EmulatedDevice)Emu.Device;
        var before = device.LaunchCounts;
        Emu.GemmBiasActivation(op, m, n, k, a.Emu, b.Emu, bias.Emu, fused.Emu);
        var launched = device.LaunchCounts.Where(kv => kv.Value != before.GetValueOrDefault(kv.Key)).Select(kv => kv.Key).ToArray();
        Assert.That(launched, Is.EqualTo(new[] { op.Kernel + "_bias_fwd_f32" }), $"{op.Kernel}: one kernel after the GEMM");

        using var separate = Emu.Allocate(m * n);
        Emu.Gemm(false, false, m, n, k, 1f, a.Emu, b.Emu, 0f, separate);
        Emu.BinaryRowBroadcast(new Add(), separate, bias.Emu, separate, m, n);
        Emu.Unary(op, separate, separate);
        float[] f = new float[m * n], s = new float[m * n];
        Emu.Download(fused.Emu, f);
        Emu.Download(separate, s);
        for (int i = 0; i < f.Length; i++)
            Assert.That(BitConverter.SingleToInt32Bits(f[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(s[i])), $"{op.Kernel} {m}x{n}x{k} element {i}: fused {f[i]:R}, separate {s[i]:R}");

        Cpu.GemmBiasActivation(op, m, n, k, a.Cpu, b.Cpu, bias.Cpu, fused.Cpu);
        AssertSame(fused, Parity.ReductionRtol, $"{op.Kernel} {m}x{n}x{k} against the CPU");
    }
}
