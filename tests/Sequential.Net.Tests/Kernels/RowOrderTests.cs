using SequentialNet.Backends;

namespace SequentialNet.Tests.Kernels;

/// <summary>The keyed row permutation used for shuffling is a bijection, keyed by seed and epoch.</summary>
public class RowOrderTests
{
    [TestCase(1)] [TestCase(2)] [TestCase(3)] [TestCase(17)] [TestCase(1000)] [TestCase(48000)]
    public void IsAPermutationOfTheRows(int count)
    {
        var order = new RowOrder(10, count, Shuffled: true, Seed: 42);
        var rows = Enumerable.Range(0, count).Select(i => order.Row(i, epoch: 3)).ToArray();
        Assert.That(rows.Order(), Is.EqualTo(Enumerable.Range(10, count)));
    }

    [Test]
    public void DiffersByEpochAndSeedAndIsRepeatable()
    {
        int[] Rows(ulong seed, int epoch) => Enumerable.Range(0, 500).Select(i => new RowOrder(0, 500, true, seed).Row(i, epoch)).ToArray();
        Assert.That(Rows(1, 0), Is.EqualTo(Rows(1, 0)));
        Assert.That(Rows(1, 0), Is.Not.EqualTo(Rows(1, 1)));
        Assert.That(Rows(1, 0), Is.Not.EqualTo(Rows(2, 0)));
        // A shuffle moves most rows: fewer than 2% stay in place (a random permutation keeps about 1 row).
        Assert.That(Rows(1, 0).Where((row, i) => row == i).Count(), Is.LessThan(10));
    }

    [Test]
    public void UnshuffledIsTheIdentityFromStart()
    {
        var order = new RowOrder(7, 5, Shuffled: false, Seed: 9);
        Assert.That(Enumerable.Range(0, 5).Select(i => order.Row(i, 4)), Is.EqualTo(new[] { 7, 8, 9, 10, 11 }));
    }
}
