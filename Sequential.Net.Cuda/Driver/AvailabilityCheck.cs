namespace SequentialNet.Cuda;

/// <summary>
/// Runs the steps that prove a GPU usable and turns the failures a machine can have (no driver, no device,
/// a library missing or too new for the driver, a cuBLAS handle that cannot be created, a kernel that does
/// not compile or load) into a reason, so GPU tests skip with it and the automatic device choice falls back
/// to the CPU. Anything else is a bug and propagates.
/// </summary>
internal static class AvailabilityCheck
{
    /// <summary>True when <paramref name="prove"/> runs to its end; else false and the failure's message.</summary>
    public static bool Run(Action prove, out string reason)
    {
        try
        {
            prove();
            reason = "";
            return true;
        }
        catch (Exception e) when (IsMachineProblem(e))
        {
            reason = e.Message;
            return false;
        }
    }

    /// <summary>Whether <paramref name="e"/> says something about the machine (rather than about our code).</summary>
    internal static bool IsMachineProblem(Exception e)
        => e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException or KernelCompilationException;
}
