using System.Diagnostics;
using System.Text;

namespace SequentialNet.Packaging.Tests;

/// <summary>Runs the dotnet CLI as a user would, in a given folder, and fails the test with its output when it fails.</summary>
internal static class DotnetCli
{
    /// <summary>Longest a single dotnet command may take before the test fails (restores and builds on 2 busy cores).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <c>dotnet args…</c> in <paramref name="workingDirectory"/>; asserts exit code 0 unless <paramref name="check"/> is false.</summary>
    public static Result Run(string workingDirectory, IEnumerable<string> args, bool check = true)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        // The test runs under dotnet test, whose MSBuild variables would point a child build at the parent's
        // MSBuild; a user's shell has none of them.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";   // no build server outlives the test
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string command = "dotnet " + string.Join(' ', start.ArgumentList);
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{command} ran past {Timeout.TotalMinutes} minutes in {workingDirectory}.\n{stdout}\n{stderr}");
        }
        process.WaitForExit();   // drains the output handlers
        var result = new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
        TestContext.Progress.WriteLine($"[{clock.Elapsed.TotalSeconds,5:F1} s] {command}  (in {workingDirectory})");
        if (check && result.ExitCode != 0)
            Assert.Fail($"{command} exited with {result.ExitCode} in {workingDirectory}.\nstdout:\n{result.Stdout}\nstderr:\n{result.Stderr}");
        return result;
    }

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, (IEnumerable<string>)args);
}
