using System.IO.Hashing;
using System.Runtime.InteropServices;
using SequentialNet.Layers;
using SequentialNet.Tests.Training;

namespace SequentialNet.Tests.Functional;

/// <summary>
/// Two models that share a layer may be used from two threads: one trains, the other saves. The saved
/// file must hold one whole snapshot of the shared weights, never half of one Fit's values and half of
/// the next (the trainer writes the shared host values when its Fit ends).
/// </summary>
public class SharedLayerSaveTests
{
    [Test]
    public void SavingWhileAModelSharingTheLayerTrainsWritesOneWholeSnapshot()
    {
        Utils.SetRandomSeed(11);
        // kernel: (256, 256), 256 KiB: large enough that serializing it overlaps a concurrent write.
        var shared = new Dense(256);
        var saverInput = new Input([256]);
        using var saver = new Model(saverInput, shared.Apply(saverInput));
        var trainerInput = new Input([256]);
        using var trainer = new Model(trainerInput, new Dense(1).Apply(shared.Apply(trainerInput)));
        trainer.Compile(optimizer: new SequentialNet.Optimizers.SGD(0.05), loss: "mse");
        var x = TestData.Random(32, 256, 5);
        var y = TestData.Random(32, 1, 6);

        // Hashes, not copies: the trainer may finish thousands of Fits while the saves run.
        var snapshots = new HashSet<UInt128> { Hash(saver.GetWeights()[0].Data) };
        var saved = new List<UInt128>();
        string dir = Path.Combine(Path.GetTempPath(), "snet-shared-save-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using var stop = new CancellationTokenSource();
        using var trained = new ManualResetEventSlim();
        var training = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                trainer.Fit(x, y, epochs: 1, batchSize: 32, verbose: 0);
                var kernel = trainer.GetWeights()[0].Data; // GetWeights copies under the host lock
                lock (snapshots) snapshots.Add(Hash(kernel));
                trained.Set();
            }
        });
        training.Start();
        try
        {
            trained.Wait();
            // A count, not a duration, so a loaded machine still runs the whole check.
            for (int i = 0; i < 40; i++)
            {
                string path = Path.Combine(dir, $"m{i % 4}.snet");
                saver.SaveWeights(path);
                var readerInput = new Input([256]);
                using var reader = new Model(readerInput, new Dense(256).Apply(readerInput));
                reader.LoadWeights(path);
                saved.Add(Hash(reader.GetWeights()[0].Data));
            }
        }
        finally
        {
            stop.Cancel(); // a failed save must not leave the trainer running
            training.Join();
            Directory.Delete(dir, recursive: true);
        }

        Assert.That(snapshots, Has.Count.GreaterThan(2), "the trainer ran several Fits during the saves");
        int torn = saved.Count(s => !snapshots.Contains(s));
        Assert.That(torn, Is.EqualTo(0), $"{torn} of {saved.Count} saved files mix two snapshots of the shared kernel");
    }

    private static UInt128 Hash(float[] values) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(values.AsSpan()));
}
