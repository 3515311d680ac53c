using System.Diagnostics;
using SequentialNet.Datasets;
using SequentialNet.Layers;
using SequentialNet.Optimizers;

namespace SequentialNet.Benchmark;

/// <summary>
/// <c>--functional</c>: the seed MLP built as a Sequential and as the equivalent functional Model (one epoch of
/// Fashion-MNIST at batch 32 each, alternated, the faster of two epochs counts), then Predict throughput of one
/// trained model with 1, 2 and 8 threads calling it at once (each call 1,000 images at batch 1,000; calls on one
/// model run one at a time, see Model's thread-safety remarks). Prints a Markdown table.
/// </summary>
internal static class FunctionalBench
{
    public static int Run()
    {
        var ((x, y), (xTest, _)) = FashionMnist.LoadData();
        (x, xTest) = (x.Reshape(-1, 784) / 255f, xTest.Reshape(-1, 784) / 255f);
        using var sequential = Seed(functional: false);
        using var functional = Seed(functional: true);
        foreach (var model in new[] { sequential, functional }) model.Fit(x.Rows(0, 3200), y.Rows(0, 3200), batchSize: 32, verbose: 0);
        double[] best = [double.MaxValue, double.MaxValue];
        for (int round = 0; round < 2; round++)
            for (int m = 0; m < 2; m++)
            {
                var sw = Stopwatch.StartNew();
                (m == 0 ? sequential : functional).Fit(x, y, batchSize: 32, verbose: 0);
                best[m] = Math.Min(best[m], sw.Elapsed.TotalSeconds);
            }
        Console.WriteLine("| Benchmark | Seconds | Samples/s |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| Seed MLP as Sequential, Fit 1 epoch, batch 32 | {best[0]:F2} | {x.RowCount / best[0]:N0} |");
        Console.WriteLine($"| Seed MLP as functional Model, Fit 1 epoch, batch 32 | {best[1]:F2} | {x.RowCount / best[1]:N0} |");
        var batch = xTest.Rows(0, 1000);
        functional.Predict(batch, batchSize: 1000);
        foreach (int callers in new[] { 1, 2, 8 })
        {
            const int callsEach = 40;
            var sw = Stopwatch.StartNew();
            var threads = Enumerable.Range(0, callers).Select(_ => new Thread(() =>
            {
                for (int i = 0; i < callsEach; i++) functional.Predict(batch, batchSize: 1000);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            double seconds = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"| Predict, {callers} concurrent caller{(callers == 1 ? "" : "s")} on one model, {callers * callsEach} calls of 1,000 images | {seconds:F2} | {callers * callsEach * 1000 / seconds:N0} |");
        }
        return 0;
    }

    private static Model Seed(bool functional)
    {
        Utils.SetRandomSeed(42);
        Layer[] layers = [new Dense(128, activation: "relu"), new Dropout(0.2), new Dense(10, activation: "softmax")];
        Model model;
        if (functional)
        {
            var input = new Input([784]);
            KerasTensor h = input;
            foreach (var layer in layers) h = layer.Apply(h);
            model = new Model(input, h);
        }
        else model = new Sequential([new InputLayer([784]), .. layers], null);
        model.Compile(optimizer: new Adam(1e-3), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"], device: "cpu");
        return model;
    }
}
