// Trains the seed MLP on Fashion-MNIST (or on the Digits set built into Sequential.Net when Fashion-MNIST is
// not on this machine), prints the test accuracy, saves the model and writes its training curves.
// Usage: dotnet run -- [epochs] [--digits]
using SequentialNet;
using SequentialNet.Plotting;
using SequentialNetApp;

bool digits = args.Contains("--digits");
int? epochs = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } given ? int.Parse(given) : null;

Utils.SetRandomSeed(42);
Dataset data = Dataset.Load(digitsOnly: digits);
Console.WriteLine($"Training on {data.Name}: {data.XTrain.RowCount} samples of {data.XTrain.Dim(1)} features");

using Sequential model = Trainer.BuildModel(data.XTrain.Dim(1));
model.Summary();
var history = model.Fit(data.XTrain, data.YTrain, epochs: epochs ?? data.DefaultEpochs, batchSize: 32, validationSplit: 0.2);
var scores = model.Evaluate(data.XTest, data.YTest, verbose: 0);
Console.WriteLine($"Test accuracy: {scores["accuracy"]:F4} (loss {scores["loss"]:F4})");

model.Save("model.snet");
history.Plot("curves.png");
Console.WriteLine("Saved model.snet (Model.Load(\"model.snet\") loads it) and curves.png (the training curves).");
