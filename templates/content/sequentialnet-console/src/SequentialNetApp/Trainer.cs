using SequentialNet;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNetApp;

/// <summary>The model: change it here, and the tests in tests/SequentialNetApp.Tests check it still learns.</summary>
public static class Trainer
{
    /// <summary>
    /// The seed MLP, compiled: Dense(128, relu) → Dropout(0.2) → Dense(10, softmax), Adam 1e-3,
    /// sparse categorical cross-entropy, accuracy.
    /// </summary>
    public static Sequential BuildModel(int features)
    {
        var model = new Sequential(
            new Dense(128, activation: "relu", inputShape: [features]),
            new Dropout(0.2),
            new Dense(10, activation: "softmax"));
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        return model;
    }
}
