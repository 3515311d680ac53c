using SequentialNet.Backends;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The metric primitives (CountCorrect, CountTopK, CountThresholds, AccumulateExcessWeight) on the CPU backend
/// and on the CUDA backend over the emulated device. Unweighted (null weights, Compile(metrics:)) they are
/// integer counts, so both backends agree exactly; weighted (Compile(weightedMetrics:)) they are float sums in
/// different orders, compared at the reduction tolerance.
/// </summary>
[Category("Emulated")]
public class EmulatedMetricTests : EmulatedBackendPair
{
    private void Both(Action<IBackend> action) { action(Cpu); action(Emu); }

    private void AssertEqual(Pair pair, string what)
    {
        var expected = new float[pair.Cpu.Length];
        var actual = new float[pair.Emu.Length];
        Cpu.Download(pair.Cpu, expected);
        Emu.Download(pair.Emu, actual);
        Assert.That(actual, Is.EqualTo(expected), what);
    }

    private float[] Host(Pair pair)
    {
        var host = new float[pair.Cpu.Length];
        Cpu.Download(pair.Cpu, host);
        return host;
    }

    /// <summary>Ones, or weights in [0, 3) with every fifth one 0 (a masked sample).</summary>
    private static float[] Weights(int n, bool weighted, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(i => !weighted ? 1f : i % 5 == 0 ? 0f : (float)(3 * random.NextDouble())).ToArray();
    }

    [TestCase(1, false, false)]
    [TestCase(3, false, false)]
    [TestCase(3, true, false)]
    [TestCase(9, true, false)]
    [TestCase(3, false, true)]
    [TestCase(2, true, true)]
    public void CountTopKMatchesTheCpu(int k, bool sparse, bool weighted)
    {
        const int rows = 300, cols = 7;     // more rows than threads of the block
        var random = new Random(k);
        // Coarse values so that ties at the top-k boundary occur; a NaN and an infinity, never counted.
        float[] pred = Enumerable.Range(0, rows * cols).Select(_ => random.Next(5) / 4f).ToArray();
        pred[3 * cols + 1] = float.NaN;
        pred[5 * cols + 2] = float.PositiveInfinity;
        int[] classes = Enumerable.Range(0, rows).Select(_ => random.Next(cols)).ToArray();
        classes[3] = 1; classes[5] = 2;
        float[] target = sparse ? classes.Select(c => (float)c).ToArray()
            : Enumerable.Range(0, rows * cols).Select(i => classes[i / cols] == i % cols ? 1f : 0f).ToArray();
        if (sparse) target[7] = cols;       // out of range: never counted
        float[] weights = Weights(rows, weighted, k);
        Pair p = Floats(pred), t = Floats(target), w = Floats(weights), acc = Floats(new float[6]);
        Both(b =>
        {
            b.CountTopK(p.On(b), t.On(b), weighted ? w.On(b) : null, acc.On(b), 2, rows, cols, k, sparse);
            b.CountTopK(p.On(b), t.On(b), weighted ? w.On(b) : null, acc.On(b), 2, rows, cols, k, sparse);
        });
        if (weighted) AssertSame(acc, Parity.ReductionRtol, $"weighted top-{k} sums");
        else AssertEqual(acc, $"top-{k} counts");
        float[] host = Host(acc);
        Assert.That(host[2], Is.GreaterThan(0f).And.LessThan(2f * weights.Sum()), "a non-trivial sum");
        Assert.That(host[0] + host[1] + host[3] + host[4] + host[5], Is.Zero, "nothing outside the slot");
    }

    [TestCase(1, 0.5f, 0.5f, 1, false)]
    [TestCase(200, -1e-7f, 1f + 1e-7f, 1, false)]
    [TestCase(1500, -1e-7f, 1f + 1e-7f, 1, false)]   // more thresholds than blocks: grid-stride
    [TestCase(1, 0.5f, 0.5f, 3, true)]
    [TestCase(200, -1e-7f, 1f + 1e-7f, 3, true)]
    [TestCase(1500, -1e-7f, 1f + 1e-7f, 1, true)]
    public void CountThresholdsMatchesTheCpu(int count, float first, float last, int cols, bool weighted)
    {
        const int rows = 347;
        int n = rows * cols;
        var random = new Random(count + cols);
        float[] pred = Enumerable.Range(0, n).Select(i => i % 10 == 0 ? random.Next(11) / 10f : (float)random.NextDouble()).ToArray();
        float[] target = Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? 1f : 0f).ToArray();
        float[] weights = Weights(rows, weighted, count);
        Pair p = Floats(pred), t = Floats(target), w = Floats(weights), acc = Floats(new float[3 + 4 * count + 2]);
        Both(b =>
        {
            b.CountThresholds(p.On(b), t.On(b), weighted ? w.On(b) : null, acc.On(b), 3, n, cols, count, first, last);
            b.CountThresholds(p.On(b), t.On(b), weighted ? w.On(b) : null, acc.On(b), 3, n - 5 * cols, cols, count, first, last);
        });
        if (weighted) AssertSame(acc, Parity.ReductionRtol, $"weighted confusion sums at {count} thresholds");
        else AssertEqual(acc, $"confusion counts at {count} thresholds");
        float[] host = Host(acc);
        // Each threshold splits every element (weighted by its row) into exactly one of TP, FP, TN, FN.
        double total = cols * (2 * weights.Sum(x => (double)x) - weights[^5..].Sum(x => (double)x));
        for (int i = 0; i < count; i++)
            Assert.That(host[3 + 4 * i] + host[4 + 4 * i] + host[5 + 4 * i] + host[6 + 4 * i], Is.EqualTo(total).Within(1e-5 * total), $"threshold {i} covers every element");
        Assert.That(host[0] + host[1] + host[2] + host[^2] + host[^1], Is.Zero, "nothing outside the slots");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void CountCorrectWeighsRows(bool weighted)
    {
        const int rows = 301, cols = 4;     // more rows than one block's warps
        var random = new Random(11);
        float[] pred = Enumerable.Range(0, rows * cols).Select(_ => (float)random.NextDouble()).ToArray();
        float[] target = Enumerable.Range(0, rows * cols).Select(_ => (float)random.Next(2)).ToArray();
        float[] weights = Weights(rows, weighted, 12);
        Pair p = Floats(pred), t = Floats(target), w = Floats(weights), acc = Floats(new float[4]);
        Both(b => b.CountCorrect(AccuracyKind.Binary, p.On(b), t.On(b), weighted ? w.On(b) : null, acc.On(b), 1, rows, cols, 0.5f));
        AssertSame(acc, Parity.ReductionRtol, "weighted binary accuracy sum");
        double expected = 0;
        for (int r = 0; r < rows; r++)
            expected += weights[r] * Enumerable.Range(0, cols).Count(j => pred[r * cols + j] > 0.5f == target[r * cols + j] > 0.5f) / (double)cols;
        Assert.That(Host(acc)[1], Is.EqualTo(expected).Within(1e-5 * expected), "Σ w·(fraction of matching elements)");
    }

    [TestCase(1, false)]
    [TestCase(20011, false)]
    [TestCase(20011, true)]
    public void AccumulateExcessWeightMatchesTheCpu(int n, bool weighted)
    {
        float[] weights = Weights(n, weighted, n);
        Pair w = Floats(weights), acc = Floats([0.5f, 2f, 0.25f]);
        Both(b => b.AccumulateExcessWeight(w.On(b), acc.On(b), 1, n));
        if (weighted) AssertSame(acc, Parity.ReductionRtol, "excess weight");
        else AssertEqual(acc, "excess weight of ones");
        double expected = 2 + weights.Sum(x => x - 1.0);
        Assert.That(Host(acc)[1], weighted ? Is.EqualTo(expected).Within(1e-4 * n) : Is.EqualTo(2f), "2 + Σ (w − 1)");
    }

    [TestCase(RowMetricKind.MeanSquaredError)]
    [TestCase(RowMetricKind.MeanAbsolutePercentageError)]
    [TestCase(RowMetricKind.MeanSquaredLogarithmicError)]
    [TestCase(RowMetricKind.CosineSimilarity)]
    [TestCase(RowMetricKind.LogCosh)]
    public void RowMetricMatchesTheCpu(RowMetricKind kind)
    {
        const int rows = 301, cols = 9;     // more rows than one block's threads
        var random = new Random((int)kind);
        // Negative values, zeros (MAPE's floor, MSLE's clamp) and large differences (log cosh's overflow guard).
        float[] pred = [.. Enumerable.Range(0, rows * cols).Select(i => i % 11 == 0 ? 40f : (float)(4 * random.NextDouble() - 1))];
        float[] target = [.. Enumerable.Range(0, rows * cols).Select(i => i % 7 == 0 ? 0f : (float)(4 * random.NextDouble() - 1))];
        Pair p = Floats(pred), t = Floats(target), v = Poison(rows);
        Both(b => b.RowMetric(kind, p.On(b), t.On(b), v.On(b), rows, cols));
        // The same float32 operations in the same order; only libm's exp/log may differ in the last bit.
        float[] values = AssertSame(v, Parity.ElementwiseRtol, $"{kind} per row");   // every row written (poisoned before)
        Assert.That(values.Distinct().Count(), Is.GreaterThan(rows / 2), "rows differ");
    }

    [TestCase(false, true, -1, false)]
    [TestCase(false, false, 1, true)]
    [TestCase(true, false, -1, true)]
    public void CountConfusionMatrixMatchesTheCpu(bool sparsePred, bool sparseTarget, int ignoreClass, bool weighted)
    {
        const int rows = 211, cols = 5, classes = 5;
        var random = new Random(rows + (sparsePred ? 1 : 0) + (sparseTarget ? 2 : 0));
        // Class ids (some out of range: never counted) or scores; targets as ids or one-hot rows.
        float[] pred = [.. Enumerable.Range(0, rows * cols).Select(_ => sparsePred ? random.Next(-1, classes + 1) : (float)random.NextDouble())];
        float[] target = sparsePred ? [.. Enumerable.Range(0, rows * cols).Select(_ => (float)random.Next(classes))]
            : sparseTarget ? [.. Enumerable.Range(0, rows).Select(_ => (float)random.Next(classes + 1))]
            : [.. Enumerable.Range(0, rows * cols).Select(i => i % cols == (i / cols) % cols ? 1f : 0f)];
        float[] weights = Weights(rows, weighted, 13);
        Pair p = Floats(pred), t = Floats(target), w = Floats(weights), acc = Floats(new float[2 + classes * classes]);
        Both(b => b.CountConfusionMatrix(p.On(b), t.On(b), weighted ? w.On(b) : null, acc.On(b), 2, rows, cols, classes, sparsePred, sparseTarget, ignoreClass));
        AssertEqual(acc, "confusion matrix (each cell sums its items in the same order)");
        float[] host = Host(acc);
        Assert.That(host[0] + host[1], Is.Zero, "nothing before the slots");
        Assert.That(host.Sum(), Is.GreaterThan(0f));
        if (ignoreClass >= 0) Assert.That(host.Skip(2 + ignoreClass * classes).Take(classes), Is.All.Zero, "the ignored class's row");
    }

    [Test]
    public void OutOfRangeArgumentsAreClearErrors()
    {
        var p = Floats(new float[4]);
        var acc = Floats(new float[8]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Emu.CountThresholds(p.Emu, p.Emu, p.Emu, acc.Emu, 1, 4, 1, 2, 0f, 1f));
        Assert.That(e!.Message, Does.Contain("CountThresholds"));
        var shortWeights = Floats(new float[1]);
        var a = Assert.Throws<ArgumentException>(() => Emu.CountThresholds(p.Emu, p.Emu, shortWeights.Emu, acc.Emu, 0, 4, 2, 1, 0f, 1f));
        Assert.That(a!.Message, Does.Contain("weights"));
        a = Assert.Throws<ArgumentException>(() => Emu.CountCorrect(AccuracyKind.Binary, p.Emu, p.Emu, shortWeights.Emu, acc.Emu, 0, 4, 1, 0.5f));
        Assert.That(a!.Message, Does.Contain("weights"));
        a = Assert.Throws<ArgumentException>(() => Emu.AccumulateExcessWeight(shortWeights.Emu, acc.Emu, 0, 4));
        Assert.That(a!.Message, Does.Contain("weights"));
    }
}
