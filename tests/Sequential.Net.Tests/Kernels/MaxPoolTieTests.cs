using SequentialNet.Backends;
using SequentialNet.Backends.Cpu;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// The max-pooling backward on ties and NaN, where a gradient check cannot look: dy goes to the first cell (row-major)
/// holding the window's maximum, a NaN never takes it from an earlier cell, exactly as the float64 definition
/// (PoolReference) routes it, for overlapping and disjoint windows and channel counts on and off the 8-lane vectors.
/// </summary>
public class MaxPoolTieTests
{
    [TestCase(2, 2, 2, 8, 6, 4)]     // disjoint, tiled, vector channels
    [TestCase(2, 2, 2, 11, 5, 5)]    // disjoint, uncovered border, vector + tail
    [TestCase(3, 3, 1, 9, 5, 4)]     // overlapping windows
    [TestCase(2, 2, 3, 3, 7, 7)]     // disjoint with gaps, scalar channels
    public void TiesAndNaNGoToTheFirstMaximum(int pool, int poolWidth, int stride, int channels, int height, int width)
    {
        var spec = new ConvSpec(pool, poolWidth, stride, stride, 1, 1, "valid");
        var (oh, ow, _, _) = spec.Output(height, width, "test");
        var g = new PoolGeometry(2, height, width, channels, oh, ow, pool, poolWidth, stride, stride, 0, 0);
        var random = new Random(3);
        // Values from {0, 1, 2} so windows hold ties; a few NaN.
        float[] x = Enumerable.Range(0, (int)g.InputLength).Select(_ => random.Next(40) == 0 ? float.NaN : random.Next(3)).ToArray();
        float[] dy = Enumerable.Range(0, (int)g.OutputLength).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        double[] expected = new double[g.InputLength];
        PoolReference.Backward(PoolKind.Max, x.Select(v => (double)v).ToArray(), dy.Select(v => (double)v).ToArray(), g, expected);

        using var backend = new CpuBackend();
        using DeviceBuffer bx = backend.Allocate(x.Length), bdy = backend.Allocate(dy.Length), bdx = backend.Allocate(x.Length);
        backend.Upload(x, bx);
        backend.Upload(dy, bdy);
        backend.Fill(bdx, float.NaN);
        backend.Pool2DBackward(PoolKind.Max, bx, bdy, bdx, g);
        float[] actual = new float[x.Length];
        backend.Download(bdx, actual);
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-6), $"dx[{i}]");
    }
}
