namespace SequentialNet.Saving;

/// <summary>
/// Turns the file system's exceptions of a save or load into ones that name the user's path and the
/// cause, instead of a hidden temporary file (".m.snet.&lt;guid&gt;.tmp") or a bare "already exists".
/// </summary>
internal static class PathProblems
{
    /// <summary>The exception to throw for <paramref name="e"/> raised while writing <paramref name="path"/>; null when it is not a file-system error.</summary>
    public static Exception? ForWrite(string path, Exception e)
    {
        if (e is not (IOException or UnauthorizedAccessException)) return null;
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            return new IOException($"Cannot save to \"{path}\": it is a folder. Expected a file path, e.g. \"{Path.Combine(path, "model.snet")}\".", e);
        if (FileOnTheWay(full) is { } file)
            return new IOException($"Cannot save to \"{path}\": \"{file}\" is a file, so it cannot be a folder on the way to \"{path}\".", e);
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (e is UnauthorizedAccessException)
            return new UnauthorizedAccessException($"Cannot save to \"{path}\": permission denied (the folder \"{folder}\" or the file is not writable by this process).", e);
        return new IOException($"Cannot save to \"{path}\": {StripTemporary(e.Message, full)}", e);
    }

    /// <summary>Checks, before opening, that <paramref name="path"/> can be a model file to read.</summary>
    public static void RequireReadableFile(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"Cannot load \"{path}\": it is a folder. Expected a file written by Model.Save or SaveWeights.");
        if (FileOnTheWay(full) is { } file)
            throw new FileNotFoundException($"Cannot load \"{path}\": \"{file}\" is a file, not a folder, so \"{path}\" does not exist.", path);
    }

    /// <summary>The exception to throw for <paramref name="e"/> raised while opening <paramref name="path"/> to read; null to keep it.</summary>
    public static Exception? ForRead(string path, Exception e)
        => e is UnauthorizedAccessException
            ? new UnauthorizedAccessException($"Cannot load \"{path}\": permission denied (the file is not readable by this process).", e)
            : null;

    // The nearest existing ancestor of full, when it is a file rather than a folder.
    private static string? FileOnTheWay(string full)
    {
        for (string? dir = Path.GetDirectoryName(full); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir)) return null;
            if (File.Exists(dir)) return dir;
        }
        return null;
    }

    // Messages of a failed rename or create name the temporary file; the user knows only their own path.
    private static string StripTemporary(string message, string full)
    {
        string name = Path.GetFileName(full);
        int start = message.IndexOf($".{name}.", StringComparison.Ordinal);
        if (start < 0) return message;
        int end = message.IndexOf(".tmp", start, StringComparison.Ordinal);
        if (end < 0) return message;
        string temporary = message[start..(end + 4)];
        return message.Replace(Path.Combine(Path.GetDirectoryName(full) ?? "", temporary), full).Replace(temporary, name);
    }
}
