using SequentialNet.Backends.Cpu;
using static SequentialNet.Tests.Kernels.KernelTestUtil;

namespace SequentialNet.Tests.Kernels;

/// <summary>
/// The column sums of the convolution's bias gradient: the 16- and 8-lane paths give the bits of the scalar twin
/// (every column summed in row order) at every width 0..256, with and without a running total, and close to the
/// float64 sum; nothing past the n sums is written.
/// </summary>
public unsafe class ColumnSumsTests
{
    [Test]
    public void VectorPathsHaveTheBitsOfTheScalarTwinAtEveryWidth()
    {
        var rng = new Random(11);
        for (int n = 0; n <= 256; n++)
            foreach (int rows in new[] { 1, 3, 17 })
                foreach (bool overwrite in new[] { true, false })
                {
                    float[] a = RandomArray(rng, rows * n, -2f, 2f), start = RandomArray(rng, n, -1f, 1f);
                    float[] sums = [.. start, Poison];
                    fixed (float* pa = a) fixed (float* ps = sums)
                    {
                        ColumnSums.Accumulate(pa, rows, n, ps, overwrite);
                        for (int j = 0; j < n; j++)
                        {
                            float expected = ColumnSums.Column(pa, rows, n, j, overwrite ? 0f : start[j]);
                            Assert.That(BitConverter.SingleToInt32Bits(sums[j]), Is.EqualTo(BitConverter.SingleToInt32Bits(expected)), $"n {n}, rows {rows}, column {j}");
                            double exact = (overwrite ? 0 : start[j]) + Enumerable.Range(0, rows).Sum(r => (double)a[r * n + j]);
                            Assert.That(sums[j], Is.EqualTo(exact).Within(1e-5 * (1 + rows)), $"n {n}, rows {rows}, column {j}");
                        }
                        Assert.That(IsPoison(sums[n]), Is.True, $"n {n}: wrote past the sums");
                    }
                }
    }
}
