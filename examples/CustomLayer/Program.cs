// A custom layer with the public API: define it, train it on the UCI digits, save, load, compare.
using CustomLayerExample;
using SequentialNet;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;
using SequentialNet.Saving;

Utils.SetRandomSeed(42);
var ((xTrain, yTrain), (xTest, yTest)) = Digits.LoadData();
xTrain = xTrain.Reshape(-1, 64) / 16f;
xTest = xTest.Reshape(-1, 64) / 16f;

var model = new Sequential(
    new ScaledDense(64, activation: "relu", initialGain: 0.5f, inputShape: [64]),
    new Dropout(0.1),
    new Dense(10, activation: "softmax"));
model.Compile(optimizer: new Adam(learningRate: 3e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
model.Summary();
model.Fit(xTrain, yTrain, epochs: 5, batchSize: 32, verbose: 2);
Console.WriteLine($"test accuracy {model.Evaluate(xTest, yTest, verbose: 0)["accuracy"]:F4}, gain {((ScaledDense)model.Layers[0]).Gain:F4}");

LayerRegistry.Register<ScaledDense>();   // in the program that saves and in the one that loads
string path = Path.Combine(Path.GetTempPath(), $"custom-layer-{Environment.ProcessId}.snet");
try
{
    model.Save(path);
    using var loaded = Model.Load(path);
    float[] before = model.Predict(xTest).Data, after = loaded.Predict(xTest).Data;
    int differing = before.Where((v, i) => BitConverter.SingleToInt32Bits(v) != BitConverter.SingleToInt32Bits(after[i])).Count();
    Console.WriteLine(differing == 0 ? "loaded model: identical predictions" : $"loaded model: {differing} predictions differ");
    return differing == 0 ? 0 : 1;
}
finally
{
    File.Delete(path);
    model.Dispose();
}
