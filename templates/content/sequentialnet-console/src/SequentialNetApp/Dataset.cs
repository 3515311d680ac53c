using SequentialNet;
using SequentialNet.Datasets;

namespace SequentialNetApp;

/// <summary>Training and test data, flattened to (samples, features) and scaled to [0, 1].</summary>
public sealed record Dataset(string Name, Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest, int DefaultEpochs)
{
    /// <summary>
    /// Fashion-MNIST (28×28 images, 10 classes) when it is on this machine or can be downloaded, else — or when
    /// <paramref name="digitsOnly"/> — the UCI Digits set (8×8 images, 10 classes) built into Sequential.Net.
    /// </summary>
    public static Dataset Load(bool digitsOnly = false)
    {
        if (!digitsOnly)
        {
            try
            {
                var ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData();
                return new("Fashion-MNIST", xTrain.Reshape(-1, 784) / 255f, yTrain, xTest.Reshape(-1, 784) / 255f, yTest, DefaultEpochs: 5);
            }
            catch (DatasetNotFoundException e)
            {
                Console.WriteLine($"Fashion-MNIST not found ({e.Message.Split('\n')[0]}); using the built-in Digits set.");
            }
        }
        return Digits();
    }

    /// <summary>The built-in Digits set: always available, no download.</summary>
    public static Dataset Digits()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = SequentialNet.Datasets.Digits.LoadData();
        return new("Digits", xTrain.Reshape(-1, 64) / 16f, yTrain, xTest.Reshape(-1, 64) / 16f, yTest, DefaultEpochs: 20);
    }
}
