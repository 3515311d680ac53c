namespace SequentialNet.Tests.Api;

/// <summary>The host-side Tensor: construction, shapes, slicing, arithmetic and checks.</summary>
public class TensorTests
{
    [Test]
    public void ConvertsFromArraysAndLabels()
    {
        Tensor a = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        Assert.That(a.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(a[1, 2], Is.EqualTo(6f));
        Assert.That(Tensor.FromArray([[1f, 2f], [3f, 4f]]).Data, Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
        Tensor labels = new[] { 3, 1 };
        Assert.That(labels.Shape, Is.EqualTo(new[] { 2 }));
        Assert.That(labels.Data, Is.EqualTo(new[] { 3f, 1f }));
        Assert.That(() => Tensor.FromArray([[1f, 2f], [3f]]), Throws.ArgumentException.With.Message.Contains("row 1 has length 1"));
    }

    [Test]
    public void ReshapeInfersOneDimensionAndSharesData()
    {
        var t = new Tensor(new float[24], 2, 3, 4);
        var r = t.Reshape(-1, 12);
        Assert.That(r.Shape, Is.EqualTo(new[] { 2, 12 }));
        r.Data[5] = 7; Assert.That(t.Data[5], Is.EqualTo(7f));
        Assert.That(() => t.Reshape(5, -1), Throws.ArgumentException.With.Message.Contains("cannot reshape 24"));
        Assert.That(() => t.Reshape(-1, -1), Throws.ArgumentException.With.Message.Contains("only one dimension"));
    }

    [Test]
    public void RowsCopiesARange()
    {
        var t = new Tensor(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 4, 3);
        var rows = t.Rows(1, 2);
        Assert.That(rows.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(rows.Data, Is.EqualTo(new[] { 3f, 4, 5, 6, 7, 8 }));
        Assert.That(() => t.Rows(3, 2), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ScalarArithmeticIsElementwise()
    {
        var t = new Tensor([2f, -4f, 255f], 3);
        Assert.That((t / 255f).Data[2], Is.EqualTo(1f));
        Assert.That((t * 0.5f).Data, Is.EqualTo(new[] { 1f, -2f, 127.5f }));
        Assert.That((2f * t).Data, Is.EqualTo(new[] { 4f, -8f, 510f }));
        Assert.That((t + 1f).Data, Is.EqualTo(new[] { 3f, -3f, 256f }));
        Assert.That((t - 1f).Data, Is.EqualTo(new[] { 1f, -5f, 254f }));
        Assert.That(t.Data, Is.EqualTo(new[] { 2f, -4f, 255f }), "operators return new tensors");
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void AllFiniteFindsAnyNonFiniteValue(float bad)
    {
        // 100,000 and 300,001 are checked in chunks on several workers: the bad value at the start, in the
        // middle and at the very end falls in the first, a middle and the last chunk.
        foreach (int length in new[] { 1, 7, 100_000, 300_001 })
            foreach (int at in new[] { 0, length / 2, length - 1 })
            {
                var data = Enumerable.Range(0, length).Select(i => (float)Math.Sin(i)).ToArray();
                Assert.That(new Tensor(data, length).AllFinite(), Is.True);
                data[at] = bad;
                Assert.That(new Tensor(data, length).AllFinite(), Is.False, $"length {length}, bad value at {at}");
            }
    }

    [Test]
    public void ArgMaxAndToCategorical()
    {
        Tensor p = new float[,] { { 0.1f, 0.7f, 0.2f }, { 0.5f, 0.2f, 0.3f } };
        Assert.That(p.ArgMax(), Is.EqualTo(new[] { 1, 0 }));
        var onehot = Utils.ToCategorical(new[] { 2, 0 }, 3);
        Assert.That(onehot.Data, Is.EqualTo(new[] { 0f, 0, 1, 1, 0, 0 }));
        Assert.That(() => Utils.ToCategorical(new[] { 3 }, 3), Throws.ArgumentException.With.Message.Contains("[0, 2]"));
    }
}
