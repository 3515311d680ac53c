using System.Text.RegularExpressions;

namespace SequentialNet.Tests.Surface;

/// <summary>Every document a comment or a doc cites is in the repository.</summary>
public partial class DocReferenceTests
{
    private static readonly string[] Extensions = [".cs", ".cu", ".cuh", ".h", ".md", ".cake", ".csproj", ".targets", ".py"];

    [GeneratedRegex(@"(?<![\w/.-])((?:docs/|examples/|kernels/|tests/)?[\w-]+(?:/[\w.-]+)*\.md)\b")]
    private static partial Regex MarkdownPath();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sequential.Net.sln"))) return dir.FullName;
        Assert.Ignore("The repository's sources are not beside the test binaries (a published test bundle).");
        return "";
    }

    private static IEnumerable<string> SourceFiles(string root)
        => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "artifacts"));

    [Test]
    public void EveryCitedMarkdownFileExists()
    {
        string root = RepositoryRoot();
        var missing = new List<string>();
        foreach (string file in SourceFiles(root))
        {
            string text = File.ReadAllText(file);
            foreach (Match m in MarkdownPath().Matches(text))
            {
                if (text[..m.Index].EndsWith("tee ", StringComparison.Ordinal)) continue;   // a file a shell command writes
                string cited = m.Groups[1].Value;
                bool found = File.Exists(Path.Combine(root, cited)) || File.Exists(Path.Combine(root, "docs", cited))
                    || File.Exists(Path.Combine(Path.GetDirectoryName(file)!, cited));
                if (!found) missing.Add($"{Path.GetRelativePath(root, file)} cites {cited}");
            }
        }
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void NoCommentCitesTheSectionsOfADocumentOutsideTheRepository()
    {
        string root = RepositoryRoot();
        var offenders = SourceFiles(root)
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"\bDESIGN(\.md)?\s*§"))
            .Select(f => Path.GetRelativePath(root, f)).ToList();
        Assert.That(offenders, Is.Empty);
    }
}
