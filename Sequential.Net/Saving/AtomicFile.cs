using System.Runtime.InteropServices;

namespace SequentialNet.Saving;

/// <summary>
/// Crash-safe file replacement: the content goes to a temporary file in the target's folder, is flushed
/// to the disk, and is renamed over the target in one step, so a process killed at any point leaves
/// either the previous file or the new one, never a mix. On Linux and macOS the folder is flushed too,
/// so the rename itself survives a power loss. A temporary file left by a killed process
/// (".name.*.tmp", untouched for an hour) is removed by the next save to the same path.
/// </summary>
internal static partial class AtomicFile
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    /// <summary>Writes <paramref name="path"/> atomically with what <paramref name="write"/> puts into the stream.</summary>
    /// <exception cref="IOException">The path is a folder, a folder on the way is a file, or the disk refused (the message names <paramref name="path"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to write there (the message names <paramref name="path"/>).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        try { WriteUnchecked(path, write); }
        catch (Exception e) when (PathProblems.ForWrite(path, e) is { } named) { throw named; }
    }

    private static void WriteUnchecked(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        string name = Path.GetFileName(full);
        if (name.Length == 0) throw new ArgumentException($"Save: expected a file path. Received: \"{path}\" (a folder).", nameof(path));
        Directory.CreateDirectory(folder);
        RemoveStaleTemporaries(folder, name);
        string temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        FlushFolder(folder);
    }

    private static void RemoveStaleTemporaries(string folder, string name)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, $".{name}.*.tmp"))
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > StaleAfter) TryDelete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }   // best effort
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>fsync of the folder, so the new directory entry is on disk (best effort; Windows has no such call).</summary>
    private static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        try
        {
            int fd = Open(folder, 0);   // O_RDONLY
            if (fd < 0) return;
            _ = Fsync(fd);
            _ = Close(fd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
