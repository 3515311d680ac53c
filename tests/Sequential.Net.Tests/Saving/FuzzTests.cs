using System.Diagnostics;
using SequentialNet.Layers;
using SequentialNet.Saving;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Saving;

/// <summary>
/// Random damage to a saved model, many times over: every load either fails with a clean
/// <see cref="ModelFormatException"/> or (the damage hit bytes that do not matter, such as zip timestamps)
/// gives a model identical to the original. Never another exception, a hang or an out-of-memory.
/// </summary>
public class FuzzTests
{
    private static readonly Type[] CleanCauses =
    [
        typeof(FormatProblem), typeof(InvalidDataException), typeof(IOException), typeof(EndOfStreamException),
        typeof(Newtonsoft.Json.JsonException), typeof(Newtonsoft.Json.JsonReaderException), typeof(FormatException),
        typeof(ArgumentException), typeof(ArgumentOutOfRangeException), typeof(InvalidOperationException),
        typeof(NotSupportedException), typeof(OverflowException), typeof(System.Text.DecoderFallbackException),
    ];

    /// <summary>1500 mutations (about a second); SEQUENTIAL_NET_FUZZ_MUTATIONS=200000 makes it a soak test, SEQUENTIAL_NET_FUZZ_SEED another sequence.</summary>
    [Test]
    public void ThousandsOfRandomMutationsNeverCrash()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("SEQUENTIAL_NET_FUZZ_MUTATIONS"), out int n) ? n : 1500;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SEQUENTIAL_NET_FUZZ_SEED"), out int s) ? s : 20240611;
        Fuzz(count, seed);
    }

    [Test]
    public void MutatedWeightFilesLoadWholeOrNotAtAll()
    {
        Utils.SetRandomSeed(4);
        string folder = NewFolder();
        try
        {
            using var source = new Sequential(new Dense(3, inputShape: [2]), new Dense(2));
            using var target = new Sequential(new Dense(3, inputShape: [2]), new Dense(2));
            source.Build([2]); target.Build([2]);
            string original = Path.Combine(folder, "w.snet"), path = Path.Combine(folder, "mutant.snet");
            source.SaveWeights(original);
            var bytes = File.ReadAllBytes(original);
            var expected = source.GetWeights().SelectMany(w => w.Data).ToArray();
            var random = new Random(77);
            for (int i = 0; i < 500; i++)
            {
                var (mutant, what) = Mutate(bytes, random);
                File.WriteAllBytes(path, mutant);
                target.SetWeights(target.GetWeights().Select(w => new Tensor(new float[w.Length], w.Shape)).ToArray());
                bool loaded;
                try { target.LoadWeights(path); loaded = true; }
                catch (ModelFormatException) { loaded = false; }
                var actual = target.GetWeights().SelectMany(w => w.Data).ToArray();
                Assert.That(actual, Is.EqualTo(loaded ? expected : new float[expected.Length]), $"mutation {i}: {what}");
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    internal static Dictionary<string, int> Fuzz(int mutations, int seed)
    {
        Utils.SetRandomSeed(3);
        string folder = NewFolder();
        try
        {
            using var model = new Sequential(new Dense(3, activation: "relu", inputShape: [2]), new Dropout(0.25), new Dense(2, activation: "softmax"));
            model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
            var (x, y) = Data(rows: 8, inputs: 2, classes: 2);
            model.Fit(x, y, epochs: 1, batchSize: 4, verbose: 0);
            string original = Path.Combine(folder, "original.snet"), path = Path.Combine(folder, "mutant.snet");
            model.Save(original);
            var bytes = File.ReadAllBytes(original);
            var random = new Random(seed);
            var outcomes = new Dictionary<string, int>();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < mutations; i++)
            {
                var (mutant, what) = Mutate(bytes, random);
                File.WriteAllBytes(path, mutant);
                string outcome = LoadOnce(model, path, $"mutation {i} (seed {seed}): {what}");
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
            TestContext.Out.WriteLine($"{mutations} mutations of a {bytes.Length}-byte file in {watch.Elapsed.TotalSeconds:F1} s:");
            foreach (var (k, v) in outcomes.OrderByDescending(kv => kv.Value)) TestContext.Out.WriteLine($"  {v,6}  {k}");
            Assert.That(outcomes.GetValueOrDefault("identical"), Is.GreaterThan(0), "some mutations should hit harmless bytes");
            return outcomes;
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static string LoadOnce(Model original, string path, string what)
    {
        var task = Task.Run(() =>
        {
            try
            {
                using var loaded = Model.Load(path);
                try { AssertSameModel(original, loaded); }
                catch (AssertionException e) { return $"DIFFERENT: {e.Message}"; }
                return "identical";
            }
            catch (ModelFormatException e)
            {
                Assert.That(e.Message, Does.StartWith($"Cannot load \"{path}\": "), what);
                var cause = e.InnerException;
                if (cause != null && !CleanCauses.Contains(cause.GetType()) && cause is not System.Text.Json.JsonException)
                    Assert.Fail($"{what}: ModelFormatException caused by an unexpected {cause.GetType().Name}: {cause}");
                return "ModelFormatException: " + Category(e.Problem);
            }
        });
        if (!task.Wait(TimeSpan.FromSeconds(20))) Assert.Fail($"{what}: Load did not finish within 20 s.");
        string outcome = task.GetAwaiter().GetResult();
        if (outcome.StartsWith("DIFFERENT", StringComparison.Ordinal)) Assert.Fail($"{what}: loaded a model that differs from the original: {outcome}");
        return outcome;
    }

    private static string Category(string problem)
    {
        int colon = problem.IndexOf(": ", StringComparison.Ordinal);
        string head = colon > 0 && colon < 40 ? problem[..colon] : problem;
        return head.Length > 60 ? head[..60] : head;
    }

    private static (byte[] Bytes, string What) Mutate(byte[] original, Random random)
    {
        var b = (byte[])original.Clone();
        int kind = random.Next(100), at = random.Next(b.Length);
        switch (kind)
        {
            case < 55:
                b[at] ^= (byte)random.Next(1, 256);
                return (b, $"byte {at} xor");
            case < 70:
                b[at] ^= (byte)(1 << random.Next(8));
                return (b, $"bit flip at {at}");
            case < 80:
                int n = random.Next(2, 9);
                for (int k = 0; k < n; k++) b[random.Next(b.Length)] = (byte)random.Next(256);
                return (b, $"{n} random bytes");
            case < 90:
                return (b[..at], $"truncated to {at} bytes");
            default:
                b[at] = random.Next(2) == 0 ? (byte)0 : (byte)0xFF;
                return (b, $"byte {at} set to {b[at]}");
        }
    }
}
