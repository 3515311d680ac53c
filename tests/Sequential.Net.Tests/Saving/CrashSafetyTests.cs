using System.Diagnostics;
using static SequentialNet.Tests.Saving.SavingFixtures;

namespace SequentialNet.Tests.Saving;

/// <summary>
/// A process killed in the middle of a save leaves the previous file intact and loadable: a child process
/// (this executable, see <see cref="SaveLoopChild"/>) saves a ~3 MB model in a loop and is killed with
/// SIGKILL at random moments; each time the file must load and hold one complete version.
/// </summary>
[NonParallelizable]
public class CrashSafetyTests
{
    [Test]
    public void KillingTheProcessDuringSavesNeverDamagesTheFile()
    {
        string folder = NewFolder(), path = Path.Combine(folder, "model.snet");
        var random = new Random(1234);
        int killedMidSave = 0;
        try
        {
            // At least 6 rounds, and more (up to 30) until a kill lands inside a save: how much of a save cycle
            // the temporary file exists for depends on the machine's load, so the count of rounds adapts.
            int round = 0;
            for (; round < 6 || killedMidSave == 0 && round < 30; round++)
            {
                var (lastPrinted, sawTemporary) = RunAndKill(path, random.NextDouble());
                if (sawTemporary) killedMidSave++;
                using var model = Model.Load(path);
                var values = model.GetWeights().SelectMany(w => w.Data).Distinct().ToArray();
                Assert.That(values, Has.Length.EqualTo(1), $"round {round}: the file mixes versions");
                Assert.That((int)values[0], Is.InRange(lastPrinted, lastPrinted + 1), $"round {round}: the file is not the last completed save");
                model.Save(path);   // the next save removes the killed writer's temporary file
                Assert.That(Directory.GetFiles(folder, ".model.snet.*.tmp"), Is.Empty, $"round {round}: a temporary file of the killed save is left");
            }
            TestContext.Out.WriteLine($"{killedMidSave} of {round} kills landed inside a save (a temporary file was left).");
            Assert.That(killedMidSave, Is.GreaterThan(0), "no kill landed inside a save: the test did not test anything");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>
    /// Starts the child, waits for two saves, and kills it a random <paramref name="fraction"/> of one save cycle
    /// later (the cycle is measured, so the kill lands anywhere in a save whatever this machine's speed);
    /// returns the last version it reported.
    /// </summary>
    private static (int LastPrinted, bool SawTemporary) RunAndKill(string path, double fraction)
    {
        using var child = Process.Start(SaveLoopChild.StartInfo(path))!;
        int lastPrinted = 0;
        var twoSaves = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();
        double firstAt = 0, secondAt = 0;
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("saved ", StringComparison.Ordinal))
            {
                Volatile.Write(ref lastPrinted, int.Parse(line[6..], System.Globalization.CultureInfo.InvariantCulture));
                if (lastPrinted == 1) firstAt = clock.Elapsed.TotalMilliseconds;
                if (lastPrinted == 2) { secondAt = clock.Elapsed.TotalMilliseconds; twoSaves.Set(); }
            }
        };
        var errors = new System.Text.StringBuilder();
        child.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (errors) errors.AppendLine(e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        bool started = twoSaves.Wait(TimeSpan.FromSeconds(60));
        if (!started)
        {
            if (!child.HasExited) child.Kill();
            Assert.Fail($"The child process did not save twice within 60 s. Its errors: {errors}");
        }
        Thread.Sleep(TimeSpan.FromMilliseconds(fraction * Math.Max(1, secondAt - firstAt)));
        child.Kill();
        child.WaitForExit();   // also drains the output, so lastPrinted is final
        bool sawTemporary = Directory.GetFiles(Path.GetDirectoryName(path)!, ".model.snet.*.tmp").Length > 0;
        return (Volatile.Read(ref lastPrinted), sawTemporary);
    }
}
