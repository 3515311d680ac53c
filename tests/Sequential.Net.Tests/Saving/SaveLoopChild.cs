using System.Diagnostics;
using System.Runtime.CompilerServices;
using SequentialNet.Layers;

namespace SequentialNet.Tests.Saving;

/// <summary>
/// The child process of the crash test: this test executable started again with
/// <see cref="PathVariable"/> set. Before the test platform starts, it saves a model to that path over and
/// over, version k having every weight equal to k, and prints "saved k" after each save, until it is killed.
/// </summary>
internal static class SaveLoopChild
{
    public const string PathVariable = "SEQUENTIAL_NET_TEST_SAVE_LOOP";

    [ModuleInitializer]
    internal static void RunWhenAsked()
    {
        string? path = Environment.GetEnvironmentVariable(PathVariable);
        if (string.IsNullOrEmpty(path)) return;
        try { SaveForever(path); }
        catch (Exception e) { Console.Error.WriteLine(e); Environment.Exit(3); }
    }

    /// <summary>How to start this executable again (the app host, or dotnet with the test assembly).</summary>
    public static ProcessStartInfo StartInfo(string path)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var info = new ProcessStartInfo { FileName = self, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(SaveLoopChild).Assembly.Location);
        info.Environment[PathVariable] = path;
        info.Environment["SEQUENTIAL_NET_THREADS"] = "1";
        return info;
    }

    private static void SaveForever(string path)
    {
        var model = new Sequential(new Dense(512, activation: "relu", inputShape: [256]), new Dense(256));
        model.Compile(optimizer: "adam", loss: "mse");
        var shapes = model.Weights.Select(w => w.Shape).ToArray();
        for (int k = 1; ; k++)
        {
            model.SetWeights(shapes.Select(s => new Tensor(Enumerable.Repeat((float)k, s.Aggregate(1, (a, d) => a * d)).ToArray(), s)).ToArray());
            model.Save(path);
            Console.Out.WriteLine($"saved {k}");
            Console.Out.Flush();
        }
    }
}
