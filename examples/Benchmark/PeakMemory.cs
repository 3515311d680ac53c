using System.Diagnostics;

namespace SequentialNet.Benchmark;

/// <summary>Peak working set (VmHWM on Linux), resettable so that it covers one phase only.</summary>
internal static class PeakMemory
{
    /// <summary>
    /// Resets the kernel's peak-RSS mark to the current RSS (Linux: "5" into /proc/self/clear_refs).
    /// False where that is not possible; the peak then covers the whole process lifetime.
    /// </summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    public static long PeakWorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    public static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
