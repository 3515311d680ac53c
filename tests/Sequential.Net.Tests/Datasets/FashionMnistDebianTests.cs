using NUnit.Framework;
using SequentialNet.Datasets;

namespace SequentialNet.Tests.Datasets;

/// <summary>The real Fashion-MNIST, from Debian's dataset-fashion-mnist package (CI installs it).</summary>
[TestFixture]
public sealed class FashionMnistDebianTests
{
    [OneTimeSetUp]
    public void RequireDebianPackage()
    {
        if (!DatasetLocator.HasAllFiles(FashionMnist.DebianFolder))
            Assert.Ignore($"{FashionMnist.DebianFolder} does not hold the four Fashion-MNIST files; install Debian's dataset-fashion-mnist package to run this test.");
    }

    [Test]
    public void LoadsTheRealDataLikeKeras()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData(FashionMnist.DebianFolder);

        Assert.That(xTrain.Shape, Is.EqualTo(new[] { 60000, 28, 28 }));
        Assert.That(yTrain.Shape, Is.EqualTo(new[] { 60000 }));
        Assert.That(xTest.Shape, Is.EqualTo(new[] { 10000, 28, 28 }));
        Assert.That(yTest.Shape, Is.EqualTo(new[] { 10000 }));
        Assert.That(yTrain.Data[..4], Is.EqualTo(new float[] { 9, 0, 0, 3 }));
        Assert.That(yTest.Data[..4], Is.EqualTo(new float[] { 9, 2, 1, 1 }));
        Assert.That(xTrain.Data.AsSpan(0, 784).ToArray().Sum(), Is.EqualTo(76247f));
        Assert.That(xTrain.Data.Max(), Is.EqualTo(255f));
        Assert.That(yTrain.Data, Is.All.InRange(0f, 9f));
        Assert.That(Enumerable.Range(0, 10).Select(c => yTrain.Data.Count(v => v == c)), Is.All.EqualTo(6000));
    }

    [Test]
    public void DebianFolderIsFoundWhenNothingComesBeforeIt()
    {
        string cacheRoot = IdxTestData.TempFolder();
        try
        {
            var locator = new DatasetLocator(FashionMnist.Spec, cacheRoot, FashionMnist.Spec.SystemFolders, _ => null);
            Assert.That(locator.Find(null), Is.EqualTo(FashionMnist.DebianFolder));
        }
        finally
        {
            Directory.Delete(cacheRoot, recursive: true);
        }
    }
}
