using System.Diagnostics;
using System.Globalization;
using SequentialNet.Saving;
using SequentialNet.Tests.Saving.Hostile;

namespace SequentialNet.Benchmark;

/// <summary>
/// --hostile: writes every file of the hostile-file suite (tests/…/Saving/Hostile/HostileFiles.cs) and
/// loads each in a fresh child process (--hostile-load), so each peak working set is that file's alone;
/// prints a Markdown table of outcome, time and peak memory (docs/model-format.md, "Loading untrusted files").
/// </summary>
internal static class HostileBench
{
    public static int Run(string[] names)
    {
        var folder = Directory.CreateTempSubdirectory("sequential-net-hostile-");
        try
        {
            string valid = Path.Combine(folder.FullName, "valid.snet");
            Utils.SetRandomSeed(15);
            HostileFiles.WriteValidModel(valid);
            Console.WriteLine("| file | attack | size | outcome | load time | peak working set | above the runtime's |");
            Console.WriteLine("|---|---|---:|---|---:|---:|---:|");
            Console.WriteLine(Row("valid", "the valid model every file starts from", valid));
            foreach (var hostile in HostileFiles.All.Where(c => names.Length == 0 || names.Contains(c.Name)))
            {
                string path = Path.Combine(folder.FullName, "a", "b", hostile.Name + ".snet");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                Console.Error.WriteLine($"[bench] writing {hostile.Name}");
                hostile.Write(valid, path);
                Console.WriteLine(Row(hostile.Name, hostile.Attack, path));
                File.Delete(path);
            }
            return 0;
        }
        finally { folder.Delete(recursive: true); }
    }

    private static string Row(string name, string attack, string path)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!);
        if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet") info.ArgumentList.Add(typeof(HostileBench).Assembly.Location);
        info.ArgumentList.Add("--hostile-load");
        info.ArgumentList.Add(path);
        var (exit, stdout, stderr) = ProcessRunner.Run(info, TimeSpan.FromMinutes(10));
        string[] parts = ProcessRunner.LastLine(stdout).Split('\t');
        string size = $"{new FileInfo(path).Length / 1024.0:N0} KB";
        if (exit != 0 || parts.Length != 5)
            return $"| {name} | {attack} | {size} | child failed (exit {exit}): {ProcessRunner.LastLine(stderr)} | | | |";
        double seconds = double.Parse(parts[1], CultureInfo.InvariantCulture);
        long peak = long.Parse(parts[2], CultureInfo.InvariantCulture), baseline = long.Parse(parts[3], CultureInfo.InvariantCulture);
        return $"| {name} | {attack} | {size} | {parts[0]} | {seconds:F2} s | {peak / 1048576.0:N0} MB | {(peak - baseline) / 1048576.0:N0} MB |";
    }

    /// <summary>The child: loads one file; prints outcome, seconds, peak working set and the baseline before the load, tab-separated.</summary>
    public static int LoadOne(string path)
    {
        GC.Collect();
        long baseline = PeakMemory.WorkingSet();
        bool reset = PeakMemory.Reset();
        var watch = Stopwatch.StartNew();
        string outcome;
        try
        {
            using var model = Model.Load(path);
            outcome = $"loaded ({model.Layers.Count} layers)";
        }
        catch (ModelFormatException e) { outcome = "ModelFormatException: " + Short(e.Problem); }
        catch (Exception e) { outcome = $"UNEXPECTED {e.GetType().Name}: " + Short(e.Message); }
        double seconds = watch.Elapsed.TotalSeconds;
        long peak = PeakMemory.PeakWorkingSet();
        if (!reset) outcome += " (peak covers the whole process)";
        Console.WriteLine(string.Join('\t', outcome, seconds.ToString("R", CultureInfo.InvariantCulture), peak, baseline, reset));
        return 0;
    }

    private static string Short(string text)
    {
        text = text.Replace('|', '/').Replace('\n', ' ').Replace('\t', ' ');
        return text.Length > 110 ? text[..107] + "…" : text;
    }
}
