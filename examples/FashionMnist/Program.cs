// The seed model: Dense(128, relu) → Dropout(0.2) → Dense(10, softmax), Adam 1e-3, batch 32,
// 20% validation. Trains on Fashion-MNIST; if the data is absent and cannot be downloaded, says so in
// one line and trains on the small Digits set that ships inside the library.
using SequentialNet;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

int epochs = args.Length > 0 && int.TryParse(args[0], out int e) ? e : 5;
Utils.SetRandomSeed(42);

Tensor xTrain, yTrain, xTest, yTest;
string dataset = "Fashion-MNIST";
try
{
    ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData();
    xTrain = xTrain.Reshape(-1, 784) / 255f;
    xTest = xTest.Reshape(-1, 784) / 255f;
}
catch (DatasetNotFoundException ex)
{
    Console.WriteLine($"Fashion-MNIST not found ({ex.Message.Split('\n')[0]}); training on the built-in Digits set instead.");
    dataset = "Digits";
    ((xTrain, yTrain), (xTest, yTest)) = Digits.LoadData();
    xTrain = xTrain.Reshape(-1, 64) / 16f;
    xTest = xTest.Reshape(-1, 64) / 16f;
    epochs = Math.Max(epochs, 20);
}

var model = new Sequential(
    new Dense(128, activation: "relu", inputShape: [xTrain.Dim(1)]),
    new Dropout(0.2),
    new Dense(10, activation: "softmax"));
model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
model.Summary();
Console.WriteLine($"Training on {dataset}: {xTrain.RowCount} samples, device {model.Device}");

var history = model.Fit(xTrain, yTrain, epochs: epochs, batchSize: 32, validationSplit: 0.2);
var scores = model.Evaluate(xTest, yTest, verbose: 0);
Console.WriteLine($"Test accuracy: {scores["accuracy"]:F4}  (loss {scores["loss"]:F4}, best val_accuracy {history["val_accuracy"].Max():F4})");
model.Dispose();
