using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// IBackend primitives that no op case reaches (row broadcasts other than add, the optimizer steps, the
/// batch gather, the accuracy counts, counters): each called directly on the CPU backend and on the CUDA
/// backend over the emulated device, with the same inputs, and the results compared (docs/testing.md).
/// </summary>
[Category("Emulated")]
public class EmulatedPrimitiveTests : EmulatedBackendPair
{
    private Pair Counters(params int[] values)
    {
        var pair = new Pair(Cpu.AllocateInt(values.Length), Emu.AllocateInt(values.Length));
        Cpu.UploadInt(values, pair.Cpu);
        Emu.UploadInt(values, pair.Emu);
        return pair;
    }

    private void Both(Action<IBackend> action)
    {
        action(Cpu);
        action(Emu);
    }

    private void AssertSameInts(Pair pair, string what)
    {
        var expected = new int[pair.Cpu.Length];
        var actual = new int[pair.Emu.Length];
        Cpu.DownloadInt(pair.Cpu, expected);
        Emu.DownloadInt(pair.Emu, actual);
        Assert.That(actual, Is.EqualTo(expected), what);
    }

    private static float[] AwayFromZero(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)SequentialNet.Tests.Graph.OpCases.AwayFromZero(random)).ToArray();
    }

    private void RowBroadcast<TOp>(TOp op) where TOp : struct, IBinaryOp
    {
        const int rows = 37, cols = 70;
        Pair a = Floats(AwayFromZero(rows * cols, 1)), row = Floats(AwayFromZero(cols, 2)), c = Poison(rows * cols);
        Both(k => k.BinaryRowBroadcast(op, a.On(k), row.On(k), c.On(k), rows, cols));
        AssertSame(c, Parity.ElementwiseRtol, $"{op.Kernel} row broadcast");
        Pair d = Poison(rows * cols);
        Both(k => k.Binary(op, a.On(k), c.On(k), d.On(k)));
        AssertSame(d, Parity.ElementwiseRtol, $"{op.Kernel} elementwise");
    }

    [Test] public void AddRows() => RowBroadcast(new Add());
    [Test] public void SubRows() => RowBroadcast(new Sub());
    [Test] public void MulRows() => RowBroadcast(new Mul());
    [Test] public void DivRows() => RowBroadcast(new Div());
    [Test] public void MaxRows() => RowBroadcast(new Max());
    [Test] public void MinRows() => RowBroadcast(new Min());

    [TestCase(0f, false)]
    [TestCase(0.9f, false)]
    [TestCase(0.9f, true)]
    public void SgdSteps(float momentum, bool nesterov)
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 3)), velocity = Floats(new float[n]), hyper = Floats([0.05f, 0, 0, 0]);
        for (int step = 0; step < 3; step++)
        {
            Pair grad = Floats(AwayFromZero(n, 10 + step));
            Both(k => k.SgdStep(param.On(k), grad.On(k), momentum > 0 ? velocity.On(k) : grad.On(k), hyper.On(k), momentum, nesterov));
        }
        AssertSame(param, Parity.ElementwiseRtol, "SGD parameters");
        if (momentum > 0) AssertSame(velocity, Parity.ElementwiseRtol, "SGD velocity");
    }

    [Test]
    public void AdamStepsReadTheStepCounterOnTheDevice()
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 4)), m = Floats(new float[n]), v = Floats(new float[n]), hyper = Floats([1e-3f, 0, 0, 0]);
        Pair counters = Counters(0, 0, 0, 0);
        for (int step = 0; step < 3; step++)
        {
            Pair grad = Floats(AwayFromZero(n, 20 + step));
            Both(k =>
            {
                k.AdamStep(param.On(k), grad.On(k), m.On(k), v.On(k), hyper.On(k), counters.On(k), 0.9f, 0.999f, 1e-7f);
                k.AddToCounter(counters.On(k), StateSlots.OptimizerStep, 1);
            });
        }
        AssertSame(param, Parity.ElementwiseRtol, "Adam parameters");
        AssertSame(m, Parity.ElementwiseRtol, "Adam first moments");
        AssertSame(v, Parity.ElementwiseRtol, "Adam second moments");
        AssertSameInts(counters, "step counter");
    }

    [TestCase(0f, false)]
    [TestCase(0.9f, false)]
    [TestCase(0f, true)]
    [TestCase(0.5f, true)]
    public void RmspropSteps(float momentum, bool centered)
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 30)), velocity = Floats(new float[n]), mom = Floats(new float[n]), avg = Floats(new float[n]);
        Pair hyper = Floats([1e-2f, 0, 0, 0]);
        for (int step = 0; step < 3; step++)
        {
            Pair grad = Floats(AwayFromZero(n, 31 + step));
            Both(k => k.RmspropStep(param.On(k), grad.On(k), velocity.On(k), momentum > 0 ? mom.On(k) : velocity.On(k),
                centered ? avg.On(k) : velocity.On(k), hyper.On(k), 0.9f, momentum, 1e-7f, centered));
        }
        AssertSame(param, Parity.ElementwiseRtol, "RMSprop parameters");
        AssertSame(velocity, Parity.ElementwiseRtol, "RMSprop velocity");
        if (momentum > 0) AssertSame(mom, Parity.ElementwiseRtol, "RMSprop momentum");
        if (centered) AssertSame(avg, Parity.ElementwiseRtol, "RMSprop average gradient");
    }

    [Test]
    public void AdagradSteps()
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 40)), acc = Floats(Enumerable.Repeat(0.1f, n).ToArray()), hyper = Floats([1e-2f, 0, 0, 0]);
        for (int step = 0; step < 3; step++)
        {
            Pair grad = Floats(AwayFromZero(n, 41 + step));
            Both(k => k.AdagradStep(param.On(k), grad.On(k), acc.On(k), hyper.On(k), 1e-7f));
        }
        AssertSame(param, Parity.ElementwiseRtol, "Adagrad parameters");
        AssertSame(acc, Parity.ElementwiseRtol, "Adagrad accumulator");
    }

    [Test]
    public void DecayWeightsReadsTheLearningRateOnTheDevice()
    {
        const int n = 1031;
        Pair param = Floats(AwayFromZero(n, 50)), hyper = Floats([0.05f, 0, 0, 0]);
        Both(k => k.DecayWeights(param.On(k), hyper.On(k), 0.3f));
        AssertSame(param, Parity.ElementwiseRtol, "decayed weights");
    }

    [Test]
    public void ClipGradientValuesKeepsNaN()
    {
        var values = AwayFromZero(1031, 51).Select(v => v * 3).ToArray();
        values[7] = float.NaN;
        Pair grad = Floats(values);
        Both(k => k.ClipGradientValues(grad.On(k), 1.5f));
        var expected = new float[values.Length];
        var actual = new float[values.Length];
        Cpu.Download(grad.Cpu, expected);
        Emu.Download(grad.Emu, actual);
        Assert.That(float.IsNaN(actual[7]) && float.IsNaN(expected[7]), "NaN kept");
        actual[7] = expected[7] = 0;
        Assert.That(actual, Is.EqualTo(expected), "clipped values (exact)");
        Assert.That(expected.Max(), Is.EqualTo(1.5f));
        Assert.That(expected.Min(), Is.EqualTo(-1.5f));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ClipGradientNormsPerVariableAndGlobally(bool global)
    {
        // Four variables in a padded flat buffer (offsets multiples of 16): long ones exceed the bound, the 3-element one does not.
        int[] lengths = [1031, 3, 5000, 17];
        var segments = new int[2 * lengths.Length];
        int offset = 0;
        for (int i = 0; i < lengths.Length; i++) { segments[2 * i] = offset; segments[2 * i + 1] = lengths[i]; offset += (lengths[i] + 15) / 16 * 16; }
        var values = AwayFromZero(offset, 52);
        Pair grad = Floats(values), seg = Counters(segments), norms = Poison(lengths.Length);
        Both(k => k.ClipGradientNorms(grad.On(k), seg.On(k), lengths.Length, norms.On(k), 3f, global));
        AssertSame(norms, Parity.ReductionRtol, "squared norms");
        AssertSame(grad, Parity.ReductionRtol, "clipped gradients");
        var clipped = new float[offset];
        Emu.Download(grad.Emu, clipped);
        double Norm(int s) => Math.Sqrt(Enumerable.Range(segments[2 * s], segments[2 * s + 1]).Sum(i => (double)clipped[i] * clipped[i]));
        if (global)
            Assert.That(Math.Sqrt(Enumerable.Range(0, lengths.Length).Sum(s => Norm(s) * Norm(s))), Is.EqualTo(3).Within(1e-4));
        else
        {
            Assert.That(Norm(0), Is.EqualTo(3).Within(1e-4));
            Assert.That(Norm(2), Is.EqualTo(3).Within(1e-4));
            for (int i = segments[2]; i < segments[2] + 3; i++) Assert.That(clipped[i], Is.EqualTo(values[i]), "a variable under the bound is untouched");
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void GatherRowsAtTheDeviceCursor(bool shuffled)
    {
        const int dataRows = 53, rowLength = 13, batch = 8;
        Pair src = Floats(AwayFromZero(dataRows * rowLength, 5)), dst = Poison(batch * rowLength);
        Pair counters = Counters(0, 16, 0, 2);   // cursor 16, epoch 2
        var order = new RowOrder(Start: 3, Count: 48, Shuffled: shuffled, Seed: 0x1234_5678_9abcUL);
        Both(k =>
        {
            k.GatherRows(src.On(k), dst.On(k), batch, rowLength, counters.On(k), StateSlots.TrainCursor, order);
            k.AddToCounter(counters.On(k), StateSlots.TrainCursor, batch);
        });
        AssertSame(dst, 0, "gathered rows (exact)");
        AssertSameInts(counters, "cursor advanced by the batch");
    }

    [TestCase(AccuracyKind.Binary)]
    [TestCase(AccuracyKind.Categorical)]
    [TestCase(AccuracyKind.SparseCategorical)]
    public void CountCorrectAccumulatesOnTheDevice(AccuracyKind kind)
    {
        const int rows = 41, cols = 5;
        var random = new Random(6);
        float[] pred = Enumerable.Range(0, rows * cols).Select(_ => (float)random.NextDouble()).ToArray();
        float[] target = kind == AccuracyKind.SparseCategorical
            ? Enumerable.Range(0, rows).Select(_ => (float)random.Next(cols)).ToArray()
            : Enumerable.Range(0, rows * cols).Select(i => kind == AccuracyKind.Binary ? random.Next(2) : (i % cols == i / cols % cols ? 1f : 0f)).ToArray();
        Pair p = Floats(pred), t = Floats(target), acc = Floats(new float[8]);
        Both(k =>
        {
            k.CountCorrect(kind, p.On(k), t.On(k), null, acc.On(k), 3, rows, cols, 0.5f);
            k.CountCorrect(kind, p.On(k), t.On(k), null, acc.On(k), 3, rows, cols, 0.5f);
        });
        AssertSame(acc, Parity.ReductionRtol, $"{kind} accuracy count");
    }

    [Test]
    public void AccumulateSumScaleCopyAndHostData()
    {
        const int n = 20011;   // past the single-block sum
        float[] values = AwayFromZero(n, 7);
        Pair x = Floats(values), acc = Floats(new float[4]), y = Poison(n), z = Poison(n);
        // Two different inputs in a row: a two-pass sum that skipped a block would pick up the first sum's
        // leftover partial in the second.
        Both(k =>
        {
            k.Scale(x.On(k), -3f, y.On(k));
            k.AccumulateSum(x.On(k), acc.On(k), 1, 0.5f);
            k.AccumulateSum(y.On(k), acc.On(k), 2, 0.25f);
            k.Copy(y.On(k), z.On(k));
        });
        AssertSame(acc, Parity.ReductionRtol, "accumulated sums");
        AssertSame(z, Parity.ElementwiseRtol, "scaled copy");
        using var host = Emu.UseHostData(values);
        var back = new float[n];
        Emu.Download(host, back);
        Assert.That(back, Is.EqualTo(values));
    }
}
