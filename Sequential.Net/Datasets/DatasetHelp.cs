using System.Text;

namespace SequentialNet.Datasets;

/// <summary>Builds the message of a <see cref="DatasetNotFoundException"/>: where we looked and how to get the data.</summary>
internal static class DatasetHelp
{
    /// <summary>The full message for <paramref name="spec"/> after a search of <paramref name="places"/> and a failed download.</summary>
    public static string NotFoundMessage(IdxDatasetSpec spec, DatasetLocator locator,
        IReadOnlyList<(string Folder, string Source)> places, Uri downloadUrl, Exception downloadError)
    {
        var text = new StringBuilder();
        text.AppendLine($"{spec.DisplayName} was not found and could not be downloaded.");
        text.AppendLine($"Looked for {string.Join(", ", IdxDatasetSpec.FileNames)} (each raw or .gz) in:");
        foreach ((string folder, string source) in places)
        {
            if (source == DatasetLocator.CacheSource && locator.DataVariable is null)
                text.AppendLine($"  - ${DatasetEnvironment.DataVariable} (not set)");
            text.AppendLine($"  - {folder} ({source})");
        }
        text.AppendLine($"Downloading from {downloadUrl} failed: {Describe(downloadError)}");
        AppendRemedies(text, spec, locator, downloadUrl);
        return text.ToString().TrimEnd();
    }

    private static void AppendRemedies(StringBuilder text, IdxDatasetSpec spec, DatasetLocator locator, Uri downloadUrl)
    {
        text.AppendLine("To get the data, do one of:");
        if (spec.InstallHint is { } install) text.AppendLine($"  - {install}");
        text.AppendLine($"  - download {string.Join(", ", IdxDatasetSpec.FileNames.Select(n => n + ".gz"))}");
        text.AppendLine($"    from {downloadUrl} into {locator.CacheFolder}{Path.DirectorySeparatorChar}");
        text.AppendLine($"  - set {DatasetEnvironment.DataVariable} to a folder holding the four files (or a '{spec.Name}' subfolder with them)");
        text.AppendLine($"  - pass that folder as LoadData(directory: ...)");
        text.AppendLine($"  - behind a proxy, set HTTPS_PROXY; or point {DatasetEnvironment.UrlVariable} at a mirror serving <url>/{spec.Name}/<file>.gz");
    }

    private static string Describe(Exception error)
    {
        var parts = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
            if (!parts.Any(p => p.Contains(e.Message, StringComparison.Ordinal))) parts.Add(e.Message);
        return string.Join(" -> ", parts);
    }
}
