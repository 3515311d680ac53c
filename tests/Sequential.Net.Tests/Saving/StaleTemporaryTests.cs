using System.Diagnostics;
using SequentialNet.Layers;
using SequentialNet.Saving;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Saving;

/// <summary>
/// Temporary files of killed saves are removed by the next save to the same path, by their writer's
/// process id; those of live writers (another process saving to the same path, this process) stay.
/// </summary>
[NonParallelizable]
public class StaleTemporaryTests
{
    private string _folder = "", _path = "";

    [SetUp]
    public void SetUp() { _folder = NewFolder(); _path = Path.Combine(_folder, "model.snet"); }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private string[] Temporaries() => [.. Directory.GetFiles(_folder, ".model.snet.*.tmp").Select(Path.GetFileName).Order()!];

    private string Temporary(string middle)
    {
        string file = Path.Combine(_folder, $".model.snet.{middle}.tmp");
        File.WriteAllBytes(file, new byte[1000]);
        return Path.GetFileName(file);
    }

    [Test]
    public void TheNextSaveRemovesOnlyTemporariesWhoseWriterIsGone()
    {
        int exited;
        using (var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!)
        {
            process.WaitForExit();
            exited = process.Id;
        }
        string host = AtomicFile.Writer[..8];
        string gone = Temporary($"{host}-{exited}.{Guid.NewGuid():N}");
        string ours = Temporary($"{AtomicFile.Writer}.{Guid.NewGuid():N}");                       // another thread of this process saving now
        string otherMachine = Temporary($"{AtomicFile.WriterOf("another-machine", exited)}.{Guid.NewGuid():N}");
        string olderName = Temporary(Guid.NewGuid().ToString("N"));                                  // written before writers were named
        string oldOlderName = Temporary(Guid.NewGuid().ToString("N"));
        File.SetLastWriteTimeUtc(Path.Combine(_folder, oldOlderName), DateTime.UtcNow.AddHours(-2));
        Assert.That(Temporaries(), Has.Length.EqualTo(5));

        using (var model = new Sequential(new Dense(2, inputShape: [3]))) model.Save(_path);

        Assert.That(Temporaries(), Is.EquivalentTo(new[] { ours, otherMachine, olderName }),
            $"removed: the exited process's ({gone}) and the one untouched for two hours ({oldOlderName})");
        using var loaded = Model.Load(_path);
        Assert.That(loaded.Layers, Has.Count.EqualTo(1));
    }

    [Test]
    public void ASaveBesideALiveWriterInAnotherProcessLeavesItsTemporaryAlone()
    {
        using var child = Process.Start(SaveLoopChild.StartInfo(_path))!;
        var saves = new SemaphoreSlim(0);
        child.OutputDataReceived += (_, e) => { if (e.Data?.StartsWith("saved ", StringComparison.Ordinal) == true) saves.Release(); };
        child.BeginOutputReadLine();
        try
        {
            Assert.That(saves.Wait(TimeSpan.FromSeconds(60)), Is.True, "the child saved within 60 s");
            string other = Path.Combine(_folder, "mine.snet");
            using (var model = new Sequential(new Dense(2, inputShape: [3])))
            {
                // Our saves to the same path clean up as they go: the child's temporary, alive, must survive each.
                for (int i = 0; i < 20; i++) model.Save(_path);
                model.Save(other);
            }
            while (saves.CurrentCount > 0) saves.Wait();
            for (int i = 0; i < 3; i++)
                Assert.That(saves.Wait(TimeSpan.FromSeconds(60)), Is.True, $"the child went on saving (save {i + 1} after ours)");
            Assert.That(child.HasExited, Is.False, "no save of the child failed");
        }
        finally
        {
            if (!child.HasExited) child.Kill();
            child.WaitForExit();
        }
        using (var model = new Sequential(new Dense(2, inputShape: [3]))) model.Save(_path);
        Assert.That(Temporaries(), Is.Empty, "the killed child's temporary (if the kill landed in a save) is gone after the next save");
    }
}
