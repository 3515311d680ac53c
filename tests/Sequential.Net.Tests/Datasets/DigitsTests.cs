using NUnit.Framework;
using SequentialNet.Datasets;

namespace SequentialNet.Tests.Datasets;

[TestFixture]
public sealed class DigitsTests
{
    [Test]
    public void LoadAllHas1797SamplesOfEightByEightPixels()
    {
        var (x, y) = Digits.LoadAll();

        Assert.That(x.Shape, Is.EqualTo(new[] { 1797, 8, 8 }));
        Assert.That(y.Shape, Is.EqualTo(new[] { 1797 }));
        Assert.That(x.Data, Is.All.InRange(0f, 16f));
        Assert.That(y.Data, Is.All.InRange(0f, 9f));
        Assert.That(y.Data.Distinct().Order(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (float)i)));
        Assert.That(x.Data.Max(), Is.EqualTo(16f));
        Assert.That(x.Data.All(v => v == MathF.Floor(v)), Is.True);
    }

    [Test]
    public void FirstSampleMatchesTheFile()
    {
        var (x, y) = Digits.LoadAll();

        Assert.That(x.Data[..8], Is.EqualTo(new float[] { 0, 0, 5, 13, 9, 1, 0, 0 }));
        Assert.That(y.Data[..3], Is.EqualTo(new float[] { 0, 1, 2 }));
    }

    [Test]
    public void LoadDataSplitsEverySampleOnceWithAFixedPermutation()
    {
        var (x, y) = Digits.LoadAll();
        var ((xTrain, yTrain), (xTest, yTest)) = Digits.LoadData();

        Assert.That(xTrain.Shape, Is.EqualTo(new[] { 1437, 8, 8 }));
        Assert.That(yTrain.Shape, Is.EqualTo(new[] { 1437 }));
        Assert.That(xTest.Shape, Is.EqualTo(new[] { 360, 8, 8 }));
        Assert.That(yTest.Shape, Is.EqualTo(new[] { 360 }));
        // Every sample of the file lands in exactly one split, with its own label.
        var samples = Enumerable.Range(0, 1797).Select(i => string.Join(",", x.Data[(i * 64)..((i + 1) * 64)]) + "|" + y.Data[i]).Order().ToArray();
        var split = Enumerable.Range(0, 1437).Select(i => string.Join(",", xTrain.Data[(i * 64)..((i + 1) * 64)]) + "|" + yTrain.Data[i])
            .Concat(Enumerable.Range(0, 360).Select(i => string.Join(",", xTest.Data[(i * 64)..((i + 1) * 64)]) + "|" + yTest.Data[i])).Order().ToArray();
        Assert.That(split, Is.EqualTo(samples));
        Assert.That(yTest.Data.Distinct().Count(), Is.EqualTo(10), "every digit appears in the test split");
        var ((xAgain, _), _) = Digits.LoadData();
        Assert.That(xAgain.Data, Is.EqualTo(xTrain.Data), "the split is the same on every call");
    }

    [Test]
    public void EachCallReturnsFreshTensors()
    {
        var (x1, _) = Digits.LoadAll();
        x1.Data[0] = -1;
        var (x2, _) = Digits.LoadAll();

        Assert.That(x2.Data[0], Is.Zero);
    }
}
