using System.Diagnostics;

namespace SequentialNet.Benchmark;

/// <summary>Runs a child process, capturing stdout and stderr, with a time limit.</summary>
internal static class ProcessRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(ProcessStartInfo psi, TimeSpan timeout)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, stdout.Result, stderr.Result + $"\n(timed out after {timeout.TotalSeconds:F0} s)");
        }
        process.WaitForExit();   // flush the redirected streams
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The last non-empty line of <paramref name="text"/> (where our children put their JSON or error).</summary>
    public static string LastLine(string text)
        => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
