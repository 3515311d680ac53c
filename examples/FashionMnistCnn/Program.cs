// The Keras tutorial CNN on Fashion-MNIST: Conv2D(32, 3, relu) → MaxPooling2D(2) → Conv2D(64, 3, relu) →
// MaxPooling2D(2) → Flatten → Dropout(0.5) → Dense(10, softmax), Adam 1e-3, batch 128, images (28, 28, 1).
// Prints the test accuracy after every epoch and the seconds each epoch took.
// Options: a number of epochs (default 3); --seed N (default 42) for Utils.SetRandomSeed; --resnet trains the functional residual CNN of ResidualCnn.cs
// instead (Conv2D + BatchNormalization + ReLU blocks joined by Add, 1×1 projection shortcut, global average
// pooling), saves it, loads it back and checks the predictions are identical. Falls back to the built-in Digits
// set (8×8) when Fashion-MNIST is absent. torch_cnn.py beside this file trains the tutorial model in PyTorch.
using System.Diagnostics;
using FashionMnistCnn;
using SequentialNet;
using SequentialNet.Callbacks;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

int seedAt = Array.IndexOf(args, "--seed");
int seed = seedAt >= 0 && seedAt + 1 < args.Length ? int.Parse(args[seedAt + 1]) : 42;
int epochs = args.Where((_, i) => i != seedAt + 1 || seedAt < 0).FirstOrDefault(a => int.TryParse(a, out _)) is { } given ? int.Parse(given) : 3;
bool resnet = args.Contains("--resnet");
Utils.SetRandomSeed(seed);

Tensor xTrain, yTrain, xTest, yTest;
int side = 28;
try
{
    ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData();
    (xTrain, xTest) = (xTrain / 255f, xTest / 255f);
}
catch (DatasetNotFoundException ex)
{
    Console.WriteLine($"Fashion-MNIST not found ({ex.Message.Split('\n')[0]}); training on the built-in Digits set (8×8) instead.");
    ((xTrain, yTrain), (xTest, yTest)) = Digits.LoadData();
    (xTrain, xTest, side) = (xTrain / 16f, xTest / 16f, 8);
}
xTrain = xTrain.Reshape(-1, side, side, 1);
xTest = xTest.Reshape(-1, side, side, 1);

using Model model = resnet ? ResidualCnn.Build(side) : new Sequential(
    new Conv2D(32, 3, activation: "relu", inputShape: [side, side, 1]),
    new MaxPooling2D(2),
    new Conv2D(64, 3, activation: "relu"),
    new MaxPooling2D(2),
    new Flatten(),
    new Dropout(0.5),
    new Dense(10, activation: "softmax"));
model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
model.Summary();
Console.WriteLine($"Training on {(side == 28 ? "Fashion-MNIST" : "Digits")}: {xTrain.RowCount} samples, device {model.Device}");

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

if (!resnet) return 0;
string path = Path.Combine(Path.GetTempPath(), $"residual_cnn_{Environment.ProcessId}.snet");
model.Save(path);
using var loaded = Model.Load(path);
File.Delete(path);
bool same = loaded.Predict(xTest).Data.AsSpan().SequenceEqual(model.Predict(xTest).Data);
Console.WriteLine($"Saved and loaded the residual CNN: {(same ? "identical predictions" : "DIFFERENT predictions")}");
return same ? 0 : 1;
