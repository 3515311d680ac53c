using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace SequentialNet.Saving;

/// <summary>
/// Crash-safe file replacement: the content goes to a temporary file in the target's folder, is flushed
/// to the disk, and is renamed over the target in one step, so a process killed at any point leaves
/// either the previous file or the new one, never a mix. On Linux and macOS the folder is flushed too,
/// so the rename itself survives a power loss. The temporary file's name carries its writer: a hash of
/// the machine's name and the process id (".name.host-pid.guid.tmp"). The next save to the same path
/// removes the temporary files of writers on this machine whose process is gone (a killed save); those of
/// live processes (concurrent writers, this process's other threads) stay, and those of other machines or
/// of older versions are removed once untouched for an hour.
/// </summary>
internal static partial class AtomicFile
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    /// <summary>"host-pid" of this process: 8 hex digits of the CRC-32 of the machine name, and the process id.</summary>
    internal static string Writer { get; } = WriterOf(Environment.MachineName, Environment.ProcessId);

    internal static string WriterOf(string machine, int processId)
        => $"{Crc32.HashToUInt32(Encoding.UTF8.GetBytes(machine)):x8}-{processId}";

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
        string temporary = Path.Combine(folder, $".{name}.{Writer}.{Guid.NewGuid():N}.tmp");
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
                if (IsStale(Path.GetFileName(file)[(name.Length + 2)..^4], file)) TryDelete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }   // best effort
    }

    /// <summary>Whether a temporary file (<paramref name="middle"/>: "host-pid.guid", or an older "guid") has no live writer.</summary>
    private static bool IsStale(string middle, string file)
    {
        int dash = middle.IndexOf('-'), dot = middle.IndexOf('.');
        if (dash == 8 && dot > dash && middle[..8] == Writer[..8] && int.TryParse(middle[(dash + 1)..dot], out int processId) && processId > 0)
            return processId != Environment.ProcessId && !IsRunning(processId);
        return DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > StaleAfter;   // another machine's, or an older name
    }

    /// <summary>Whether process <paramref name="processId"/> runs; true when that cannot be told (the file then stays).</summary>
    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }   // no such process
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception) { return true; }
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
