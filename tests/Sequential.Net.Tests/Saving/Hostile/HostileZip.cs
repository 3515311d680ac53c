using System.IO.Compression;
using System.Text;

namespace SequentialNet.Tests.Saving.Hostile;

/// <summary>
/// Builds crafted archives from a valid model file: entries copied, replaced by generated content
/// (written as a stream, so a 64 MiB entry never exists in memory here), added or removed, and zip
/// directory fields patched afterwards, as an attacker with a hex editor would.
/// </summary>
internal static class HostileZip
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/>, replacing or adding the entries in <paramref name="replace"/> (null content removes one).</summary>
    public static void Rewrite(string source, string target, IReadOnlyDictionary<string, Action<Stream>?> replace, IEnumerable<(string Name, Action<Stream> Write)>? extra = null)
    {
        using var input = ZipFile.OpenRead(source);
        using var output = ZipFile.Open(target, ZipArchiveMode.Create);
        foreach (var entry in input.Entries)
        {
            if (replace.TryGetValue(entry.FullName, out var write))
            {
                if (write != null) Add(output, entry.FullName, write);
                continue;
            }
            using var from = entry.Open();
            Add(output, entry.FullName, s => from.CopyTo(s));
        }
        foreach (var (name, write) in replace)
            if (write != null && input.GetEntry(name) == null) Add(output, name, write);
        foreach (var (name, write) in extra ?? []) Add(output, name, write);
    }

    /// <summary>An entry: JSON deflated, data (.bin) stored, as the writer does.</summary>
    public static void Add(ZipArchive zip, string name, Action<Stream> write)
    {
        var level = name.EndsWith(".bin", StringComparison.Ordinal) ? CompressionLevel.NoCompression : CompressionLevel.Optimal;
        using var s = zip.CreateEntry(name, level).Open();
        write(s);
    }

    /// <summary>The text of one entry.</summary>
    public static string ReadText(string path, string entry)
    {
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public static Action<Stream> Text(string text) => s => s.Write(Encoding.UTF8.GetBytes(text));

    /// <summary><paramref name="head"/>, then <paramref name="unit"/> <paramref name="count"/> times (joined by <paramref name="separator"/>), then <paramref name="tail"/>.</summary>
    public static Action<Stream> Repeat(string head, string unit, long count, string tail, string separator = ",") => s =>
    {
        var buffered = new BufferedStream(s, 1 << 16);
        buffered.Write(Encoding.UTF8.GetBytes(head));
        byte[] first = Encoding.UTF8.GetBytes(unit), next = Encoding.UTF8.GetBytes(separator + unit);
        for (long i = 0; i < count; i++) buffered.Write(i == 0 ? first : next);
        buffered.Write(Encoding.UTF8.GetBytes(tail));
        buffered.Flush();
    };

    /// <summary>Zero bytes (a stored data entry of that size).</summary>
    public static Action<Stream> Zeros(long bytes) => s =>
    {
        var block = new byte[1 << 16];
        for (long left = bytes; left > 0; left -= block.Length) s.Write(block, 0, (int)Math.Min(left, block.Length));
    };

    /// <summary>
    /// Sets the uncompressed size that the central directory declares for <paramref name="entry"/>
    /// (a zip bomb's lie; the local header keeps the true size).
    /// </summary>
    public static void PatchDeclaredSize(string path, string entry, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(entry);
        for (int i = bytes.Length - 46; i >= 0; i--)
        {
            // Central directory file header: signature 50 4B 01 02; name length at 28, name at 46, uncompressed size at 24.
            if (bytes[i] != 0x50 || bytes[i + 1] != 0x4B || bytes[i + 2] != 1 || bytes[i + 3] != 2) continue;
            int nameLength = BitConverter.ToUInt16(bytes, i + 28);
            if (nameLength != name.Length || !bytes.AsSpan(i + 46, nameLength).SequenceEqual(name)) continue;
            BitConverter.TryWriteBytes(bytes.AsSpan(i + 24, 4), size);
            File.WriteAllBytes(path, bytes);
            return;
        }
        throw new InvalidOperationException($"PatchDeclaredSize: no central directory entry \"{entry}\" in {path}.");
    }
}
