using System.Text.RegularExpressions;

namespace SequentialNet.Cuda.Tests;

/// <summary>
/// Reads an NVRTC program log: lines such as <c>unary.cu(12): warning #177-D: …</c> and
/// <c>unary.cu(12): error: …</c>. The compile tests fail on errors only, so a newer NVRTC's new warnings
/// (printed with the test's output) do not fail the run on a GPU machine.
/// </summary>
internal static partial class NvrtcLog
{
    [GeneratedRegex(@"(^|:\s*)(catastrophic\s+)?error\b", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorPattern();

    [GeneratedRegex(@":\s*warning\b", RegexOptions.IgnoreCase)]
    private static partial Regex WarningPattern();

    /// <summary>The log's error lines.</summary>
    public static IReadOnlyList<string> Errors(string log) => Lines(log).Where(l => ErrorPattern().IsMatch(l)).ToList();

    /// <summary>The log's warning lines.</summary>
    public static IReadOnlyList<string> Warnings(string log) => Lines(log).Where(l => WarningPattern().IsMatch(l)).ToList();

    private static IEnumerable<string> Lines(string log) => log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
