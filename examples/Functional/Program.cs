// Functional models: a residual MLP on Fashion-MNIST (x + Dense(Dense(x)) blocks joined by Add), then a
// model with two inputs and two outputs (the image and a 4-number side input; a class and a regression
// head), trained with a loss, a loss weight and metrics per output. Falls back to the built-in Digits set
// when Fashion-MNIST is absent. Option: a number of epochs (default 5).
using SequentialNet;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Losses;
using SequentialNet.Metrics;

int epochs = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } given ? int.Parse(given) : 5;
Utils.SetRandomSeed(42);

Tensor xTrain, yTrain, xTest, yTest;
int side = 28;
try
{
    ((xTrain, yTrain), (xTest, yTest)) = FashionMnist.LoadData();
    (xTrain, xTest) = (xTrain / 255f, xTest / 255f);
}
catch (DatasetNotFoundException ex)
{
    Console.WriteLine($"Fashion-MNIST not found ({ex.Message.Split('\n')[0]}); training on the built-in Digits set instead.");
    ((xTrain, yTrain), (xTest, yTest)) = Digits.LoadData();
    (xTrain, xTest, side, epochs) = (xTrain / 16f, xTest / 16f, 8, Math.Max(epochs, 20));
}
xTrain = xTrain.Reshape(-1, side, side, 1);
xTest = xTest.Reshape(-1, side, side, 1);

// 1. A residual MLP: each block adds its input back (a skip connection).
var image = new Input(shape: [side, side, 1], name: "image");
var h = new Dense(128, activation: "relu").Apply(new Flatten().Apply(image));
for (int block = 0; block < 2; block++)
{
    var inner = new Dense(128, activation: "relu").Apply(h);
    h = new Add().Apply(h, new Dense(128).Apply(new Dropout(0.1).Apply(inner)));
}
var residual = new Model(image, new Dense(10, activation: "softmax").Apply(h), name: "residual_mlp");
residual.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
residual.Summary();
residual.Fit(xTrain, yTrain, epochs: epochs, batchSize: 64, validationSplit: 0.1, verbose: 2);
Console.WriteLine($"Residual MLP test accuracy: {residual.Evaluate(xTest, yTest, verbose: 0)["accuracy"]:F4}");

// 2. Two inputs, two outputs: the class, and the image's mean brightness from image and side input.
static Tensor Extra(Tensor x, int seed)
{
    var random = new Random(seed);
    return new Tensor([.. Enumerable.Range(0, x.RowCount * 4).Select(_ => (float)random.NextDouble())], x.RowCount, 4);
}
static Tensor Brightness(Tensor x) => new([.. Enumerable.Range(0, x.RowCount).Select(i => x.Data.AsSpan(i * x.RowLength, x.RowLength).ToArray().Average())], x.RowCount, 1);
var (extraTrain, extraTest) = (Extra(xTrain, 1), Extra(xTest, 2));
var image2 = new Input(shape: [side, side, 1], name: "image");
var extra = new Input(shape: [4], name: "extra");
var trunk = new Dense(64, activation: "relu").Apply(new Flatten().Apply(image2));
trunk = new Add().Apply(trunk, new Dense(64).Apply(trunk));
var both = new Concatenate().Apply(trunk, new Dense(8, activation: "relu").Apply(extra));
var cls = new Dense(10, activation: "softmax", name: "class").Apply(both);
var value = new Dense(1, name: "value").Apply(both);
var twoHeads = new Model(inputs: [image2, extra], outputs: [cls, value], name: "two_heads");
twoHeads.Compile(optimizer: "adam",
    loss: new Dictionary<string, Loss> { ["class"] = "sparse_categorical_crossentropy", ["value"] = "mse" },
    lossWeights: new Dictionary<string, double> { ["class"] = 1.0, ["value"] = 0.5 },
    metrics: new Dictionary<string, Metric[]> { ["class"] = ["accuracy"], ["value"] = ["mae"] });
twoHeads.Summary();
var history = twoHeads.Fit([xTrain, extraTrain], [yTrain, Brightness(xTrain)], epochs: epochs, batchSize: 64, validationSplit: 0.1, verbose: 2);
Console.WriteLine($"History keys: {string.Join(", ", history.Metrics.Keys)}");
var scores = twoHeads.Evaluate([xTest, extraTest], [yTest, Brightness(xTest)], verbose: 0);
Console.WriteLine($"Two-head test: class accuracy {scores["class_accuracy"]:F4}, value loss (mse) {scores["value_loss"]:F5}");
Tensor[] outputs = twoHeads.PredictAll([xTest, extraTest]);
Console.WriteLine($"PredictAll: {string.Join(", ", outputs.Select(o => "(" + string.Join(", ", o.Shape) + ")"))}");
twoHeads.Save("two_heads.snet");
using var again = Model.Load("two_heads.snet");
bool same = again.PredictAll([xTest, extraTest])[0].Data.AsSpan().SequenceEqual(outputs[0].Data);
Console.WriteLine($"Saved and loaded two_heads.snet: {(same ? "identical predictions" : "DIFFERENT predictions")}");
File.Delete("two_heads.snet");
residual.Dispose(); twoHeads.Dispose();
return same ? 0 : 1;
