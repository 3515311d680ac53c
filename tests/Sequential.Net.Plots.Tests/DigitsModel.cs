using SequentialNet.Callbacks;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Plotting.Tests;

/// <summary>A small MLP trained on the built-in Digits set for a few epochs: real histories and predictions to plot.</summary>
internal static class DigitsModel
{
    public static (Sequential Model, History History, Tensor XTest, Tensor YTest) Train(int epochs = 4)
    {
        Utils.SetRandomSeed(7);
        var ((xTrain, yTrain), (xTest, yTest)) = Digits.LoadData();
        xTrain = xTrain.Reshape(-1, 64) / 16f;
        xTest = xTest.Reshape(-1, 64) / 16f;
        var model = new Sequential(
            new Dense(32, activation: "relu", inputShape: [64]),
            new Dense(10, activation: "softmax"));
        model.Compile(optimizer: new Adam(learningRate: 3e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], device: "cpu");
        var history = model.Fit(xTrain, yTrain, epochs: epochs, batchSize: 32, validationSplit: 0.2, verbose: 0);
        return (model, history, xTest, yTest);
    }
}
