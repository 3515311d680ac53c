// The Keras tutorial CNN on Fashion-MNIST: Conv2D(32, 3, relu) → MaxPooling2D(2) → Conv2D(64, 3, relu) →
// MaxPooling2D(2) → Flatten → Dropout(0.5) → Dense(10, softmax), Adam 1e-3, batch 128, images (28, 28, 1).
// Prints the test accuracy after every epoch and the seconds each epoch took.
// Options: a number of epochs (default 3). torch_cnn.py beside this file trains the same model in PyTorch.
using System.Diagnostics;
using SequentialNet;
using SequentialNet.Callbacks;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

int epochs = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } given ? int.Parse(given) : 3;
Utils.SetRandomSeed(42);

var ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData();
xTrain = xTrain.Reshape(-1, 28, 28, 1) / 255f;
xTest = xTest.Reshape(-1, 28, 28, 1) / 255f;

using var model = new Sequential(
    new Conv2D(32, 3, activation: "relu", inputShape: [28, 28, 1]),
    new MaxPooling2D(2),
    new Conv2D(64, 3, activation: "relu"),
    new MaxPooling2D(2),
    new Flatten(),
    new Dropout(0.5),
    new Dense(10, activation: "softmax"));
model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
model.Summary();
Console.WriteLine($"Training on Fashion-MNIST: {xTrain.RowCount} samples, device {model.Device}");

var clock = new Stopwatch();
var report = new LambdaCallback(
    onEpochBegin: (_, _) => clock.Restart(),
    onEpochEnd: (epoch, logs) =>
    {
        double seconds = clock.Elapsed.TotalSeconds;
        var scores = model.Evaluate(xTest, yTest, verbose: 0);
        Console.WriteLine($"epoch {epoch + 1}: {seconds:F1} s, loss {logs["loss"]:F4}, test accuracy {scores["accuracy"]:F4}");
    });
model.Fit(xTrain, yTrain, epochs: epochs, batchSize: 128, verbose: 0, callbacks: [report]);
