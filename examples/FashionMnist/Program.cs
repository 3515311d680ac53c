// The seed model: Dense(128, relu) → Dropout(0.2) → Dense(10, softmax), Adam 1e-3, batch 32,
// 20% validation. Trains on Fashion-MNIST; if the data is absent and cannot be downloaded, says so in
// one line and trains on the small Digits set that ships inside the library.
// Options: a number of epochs; --augment trains on (H, W, 1) images through RandomRotation, RandomTranslation
// and RandomZoom (active only in training) and writes augmented.png, a grid of augmented samples.
// Writes curves.png (loss and accuracy per epoch, training and validation), cm.png (the confusion matrix on the
// test set) and model.png (the layers as boxes with their shapes).
using FashionMnistExample;
using SequentialNet;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using SequentialNet.Plotting;

int epochs = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } given ? int.Parse(given) : 5;
bool augment = args.Contains("--augment");
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

int side = (int)Math.Round(Math.Sqrt(xTrain.Dim(1)));
ImageAugmentation[] augmentation = augment
    ? [new RandomRotation([0.05], fillMode: "constant", inputShape: [side, side, 1]), new RandomTranslation([0.1], [0.1], fillMode: "constant"), new RandomZoom([0.1], fillMode: "constant")]
    : [];
if (augment)
{
    xTrain = xTrain.Reshape(-1, side, side, 1);
    xTest = xTest.Reshape(-1, side, side, 1);
    AugmentedGrid.Write("augmented.png", xTrain, augmentation);
    Console.WriteLine("Wrote augmented.png: each row is a training image, then augmented versions of it.");
}
Layer[] layers = augment
    ? [.. augmentation, new Flatten()]
    : [];
var model = new Sequential([
    .. layers,
    new Dense(128, activation: "relu", inputShape: augment ? null : [xTrain.Dim(1)]),
    new Dropout(0.2),
    new Dense(10, activation: "softmax")]);
model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
model.Summary();
Console.WriteLine($"Training on {dataset}: {xTrain.RowCount} samples, device {model.Device}");

var history = model.Fit(xTrain, yTrain, epochs: epochs, batchSize: 32, validationSplit: 0.2);
var scores = model.Evaluate(xTest, yTest, verbose: 0);
Console.WriteLine($"Test accuracy: {scores["accuracy"]:F4}  (loss {scores["loss"]:F4}, best val_accuracy {history["val_accuracy"].Max():F4})");
history.Plot("curves.png");
Plots.ConfusionMatrix(model, xTest, yTest, "cm.png", classNames: dataset == "Digits" ? null : FashionMnistClasses);
Plots.Model(model, "model.png");
Console.WriteLine("Wrote curves.png (training curves), cm.png (confusion matrix on the test set) and model.png (the model).");
model.Dispose();

public partial class Program
{
    private static readonly string[] FashionMnistClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
}
