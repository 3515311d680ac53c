using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Benchmark;

/// <summary>What the figures were measured on.</summary>
internal static class MachineInfo
{
    public static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and >= 0)
                    return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    public static string SimdWidth()
        => Vector512.IsHardwareAccelerated ? "512-bit (Vector512 accelerated)"
            : Vector256.IsHardwareAccelerated ? "256-bit (Vector256 accelerated; Vector512 not)"
            : Vector128.IsHardwareAccelerated ? "128-bit" : "scalar";

    public static string Runtime() => $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})";

    public static string Os() => RuntimeInformation.OSDescription;

    /// <summary>Captured once at start-up (first call), from /proc/loadavg; null where unavailable.</summary>
    public static string? LoadAverage() => s_loadAverage.Value;

    /// <summary>
    /// Share of all cores busy over <paramref name="window"/> while this process sleeps (from /proc/stat):
    /// how much other work is running. Null where /proc/stat is unavailable.
    /// </summary>
    public static double? OtherCpuBusy(TimeSpan window)
    {
        // Ours and our parent's (`dotnet run` is still busy for a moment after it starts us) do not count.
        string parent = $"/proc/{ProcessTicks("/proc/self/stat").Parent}/stat";
        if (CpuTimes() is not var (idle0, total0)) return null;
        long self0 = ProcessTicks("/proc/self/stat").Ticks + ProcessTicks(parent).Ticks;
        Thread.Sleep(window);
        if (CpuTimes() is not var (idle1, total1) || total1 <= total0) return null;
        long self1 = ProcessTicks("/proc/self/stat").Ticks + ProcessTicks(parent).Ticks;
        long busy = (total1 - total0) - (idle1 - idle0) - (self1 - self0);
        return Math.Clamp((double)busy / (total1 - total0), 0, 1);
    }

    // utime + stime (fields 14 and 15 of /proc/PID/stat, clock ticks) and the parent's id (field 4); zeros when unreadable.
    private static (long Ticks, int Parent) ProcessTicks(string statPath)
    {
        try
        {
            string stat = File.ReadAllText(statPath);
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // f[0] is field 3
            return (long.Parse(f[11]) + long.Parse(f[12]), int.Parse(f[1]));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return (0, 0);
        }
    }

    // The aggregate "cpu" line of /proc/stat: (idle + iowait, all) in clock ticks.
    private static (long Idle, long Total)? CpuTimes()
    {
        try
        {
            string? line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            if (line is null) return null;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            return f.Length < 5 ? null : (f[3] + f[4], f.Take(8).Sum());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static readonly Lazy<string?> s_loadAverage = new(() =>
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    });
}
