using SequentialNet;

namespace SequentialNetApp.Tests;

public class TrainerTests
{
    [Test]
    public void SeedModel_HasTheExpectedParameterCount()
    {
        using var model = Trainer.BuildModel(features: 64);
        // Dense(128) on 64 inputs: 64*128 + 128; Dense(10): 128*10 + 10. Dropout has no weights.
        Assert.That(model.CountParams(), Is.EqualTo(64 * 128 + 128 + 128 * 10 + 10));
    }

    [Test]
    public void SeedModel_LearnsDigits()
    {
        Utils.SetRandomSeed(42);
        var data = Dataset.Digits();
        using var model = Trainer.BuildModel(data.XTrain.Dim(1));
        model.Fit(data.XTrain, data.YTrain, epochs: 20, batchSize: 32, verbose: 0);
        Assert.That(model.Evaluate(data.XTest, data.YTest, verbose: 0)["accuracy"], Is.GreaterThanOrEqualTo(0.9));
    }

    [Test]
    public void SavedModel_PredictsTheSame()
    {
        var data = Dataset.Digits();
        using var model = Trainer.BuildModel(data.XTrain.Dim(1));
        model.Fit(data.XTrain, data.YTrain, epochs: 1, verbose: 0);
        string path = Path.Combine(Path.GetTempPath(), $"model-{Guid.NewGuid():N}.snet");
        try
        {
            model.Save(path);
            using var loaded = Model.Load(path);
            Assert.That(loaded.Predict(data.XTest).Data, Is.EqualTo(model.Predict(data.XTest).Data));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
