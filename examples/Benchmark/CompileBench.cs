using System.Diagnostics;
using SequentialNet.Layers;

namespace SequentialNet.Benchmark;

/// <summary>
/// --compile-scaling: Compile time against the number of layers (Dense(1) chains of 1,024 to 65,536
/// layers): Compile (graph building and autodiff), the first Predict (lowering and memory planning of the
/// inference plan) and the first train step (the same for the training plan), with the ops of both graphs.
/// Time per op should stay flat as the model grows (linear or n·log n work).
/// </summary>
internal static class CompileBench
{
    public static int Run(int[] sizes)
    {
        Console.WriteLine("| layers | ops (train + evaluate graphs) | new Sequential | Compile | first Predict | first train step | Compile + plans per op |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int n in sizes)
        {
            Console.Error.WriteLine($"[bench] compile scaling: {n} layers");
            var watch = Stopwatch.StartNew();
            var layers = new Layer[n];
            for (int i = 0; i < n; i++) layers[i] = new Dense(1, inputShape: i == 0 ? [1] : null);
            using var model = new Sequential(layers);
            double construct = Lap(watch);
            model.Compile(optimizer: "sgd", loss: "mse");
            double compile = Lap(watch);
            var x = new Tensor(new float[1], 1, 1);
            model.Predict(x);
            double predict = Lap(watch);
            model.Fit(x, x, epochs: 1, batchSize: 1, verbose: 0);
            double train = Lap(watch);
            var graphs = model.CompiledForTests!.Graphs;
            int ops = graphs.Train.Builder.Nodes.Count + graphs.Evaluate.Builder.Nodes.Count;
            double total = compile + predict + train;
            Console.WriteLine($"| {n:N0} | {ops:N0} | {construct:F2} s | {compile:F2} s | {predict:F2} s | {train:F2} s | {total * 1e6 / ops:F1} µs |");
        }
        return 0;
    }

    private static double Lap(Stopwatch watch)
    {
        double seconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        return seconds;
    }
}
