using System.Diagnostics;
using System.Runtime;

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

    /// <summary>
    /// A full blocking GC that compacts the large-object heap (where datasets live) and returns freed memory to the
    /// OS, then the working set: the baseline the Fit peak is compared with.
    /// </summary>
    public static long CompactAndMeasure()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return WorkingSet();
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
