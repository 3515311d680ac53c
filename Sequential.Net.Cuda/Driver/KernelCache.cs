using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace SequentialNet.Cuda;

/// <summary>
/// Compiled kernels, cached in memory and on disk so NVRTC runs once per (source, options, arch, NVRTC
/// version) on a machine. The key is the SHA-256 of all four (the program, every header, the options, the
/// architecture and NVRTC's version); the file is <c>&lt;directory&gt;/&lt;key&gt;.cubin</c>, by default in
/// <c>~/.cache/sequential-net/kernels/</c> (<c>$XDG_CACHE_HOME/sequential-net/kernels/</c> when that is set).
/// <para>
/// Writes are atomic: the CUBIN goes to a uniquely named temporary file in the same folder, is flushed, and
/// is renamed over the final name, so a reader sees the old file, the new file or none, never a part.
/// Every entry carries a header (magic, payload length, SHA-256 of the payload, the key); an entry whose
/// header, length or hash does not check out is counted in <see cref="RejectedEntries"/>, recompiled and
/// rewritten, never loaded. A cache folder that cannot be written only costs the compile time.
/// </para>
/// <para>
/// Each key has its own lock: a file is compiled once however many threads ask for it, and different files
/// compile in parallel (a device opens with every kernels/*.cu compiled at once).
/// </para>
/// </summary>
internal sealed class KernelCache
{
    /// <summary>Entry layout: magic (8) · payload length (int64 LE) · SHA-256(payload) (32) · key (32) · payload.</summary>
    internal const int HeaderBytes = 8 + 8 + 32 + 32;
    private static ReadOnlySpan<byte> Magic => "SNCUBIN1"u8;
    private const long MaxPayloadBytes = 256L << 20;

    private readonly ConcurrentDictionary<string, byte[]> _memory = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lock> _compileGates = new(StringComparer.Ordinal);   // one per key: different files compile in parallel
    private int _compilations, _memoryHits, _diskHits, _rejected, _diskWriteFailures;

    /// <summary>A cache over <paramref name="directory"/> (created on first write); null keeps it in memory only.</summary>
    public KernelCache(string? directory) => Directory = directory;

    /// <summary>The process-wide cache over <see cref="DefaultDirectory"/>.</summary>
    public static KernelCache Shared { get; } = new(DefaultDirectory());

    /// <summary>~/.cache/sequential-net/kernels (or under $XDG_CACHE_HOME); null when there is no home folder.</summary>
    public static string? DefaultDirectory()
    {
        string? root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(root) || !Path.IsPathRooted(root))
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home)) return null;
            root = Path.Combine(home, ".cache");
        }
        return Path.Combine(root, "sequential-net", "kernels");
    }

    /// <summary>The disk folder, or null for a memory-only cache.</summary>
    public string? Directory { get; }

    /// <summary>NVRTC compilations done by this cache.</summary>
    public int Compilations => Volatile.Read(ref _compilations);

    /// <summary>Requests answered from memory.</summary>
    public int MemoryHits => Volatile.Read(ref _memoryHits);

    /// <summary>Requests answered from a verified disk entry.</summary>
    public int DiskHits => Volatile.Read(ref _diskHits);

    /// <summary>Disk entries found corrupt or truncated (and recompiled).</summary>
    public int RejectedEntries => Volatile.Read(ref _rejected);

    /// <summary>Disk writes that failed (the compiled kernel was still used).</summary>
    public int DiskWriteFailures => Volatile.Read(ref _diskWriteFailures);

    /// <summary>Test hook: called with the file name just before NVRTC compiles it (under that file's lock only).</summary>
    internal Action<string>? BeforeCompile { get; set; }

    /// <summary>Test hook: called with (temporary path, final path) after the temporary file is complete and before the rename.</summary>
    internal Action<string, string>? BeforeRename { get; set; }

    /// <summary>The CUBIN of <paramref name="program"/> for sm_<paramref name="arch"/>: from memory, else disk, else NVRTC.</summary>
    /// <exception cref="KernelCompilationException">NVRTC rejected the source.</exception>
    public byte[] GetCubin(KernelFile program, IReadOnlyList<KernelFile> headers, int arch)
    {
        var options = KernelCompiler.Options(arch);
        byte[] key = Key(program, headers, options, arch, KernelCompiler.Version);
        string hex = Convert.ToHexStringLower(key);
        if (_memory.TryGetValue(hex, out var cached))
        {
            Interlocked.Increment(ref _memoryHits);
            return cached;
        }
        lock (_compileGates.GetOrAdd(hex, _ => new Lock()))
        {
            if (_memory.TryGetValue(hex, out cached))
            {
                Interlocked.Increment(ref _memoryHits);
                return cached;
            }
            byte[]? cubin = ReadEntry(hex, key);
            if (cubin != null)
            {
                Interlocked.Increment(ref _diskHits);
            }
            else
            {
                KernelCompiler.RequireArchitecture(arch);
                BeforeCompile?.Invoke(program.Name);
                cubin = KernelCompiler.Compile(program, headers, options).Cubin;
                Interlocked.Increment(ref _compilations);
                WriteEntry(hex, key, cubin);
            }
            _memory[hex] = cubin;
            return cubin;
        }
    }

    /// <summary>The path of the entry for <paramref name="hexKey"/>, or null for a memory-only cache.</summary>
    public string? PathFor(string hexKey) => Directory == null ? null : Path.Combine(Directory, hexKey + ".cubin");

    /// <summary>The cache key: SHA-256 over length-prefixed fields, so no two different inputs serialise alike.</summary>
    public static byte[] Key(KernelFile program, IReadOnlyList<KernelFile> headers, IReadOnlyList<string> options, int arch, (int Major, int Minor) nvrtc)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Field(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
        Field("sequential-net kernel cache v1");
        Field(program.Name);
        Field(program.Source);
        foreach (var header in headers.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            Field(header.Name);
            Field(header.Source);
        }
        Field(string.Join("\n", options));
        Field($"sm_{arch}");
        Field($"nvrtc {nvrtc.Major}.{nvrtc.Minor}");
        return hash.GetHashAndReset();
    }

    /// <summary>The verified payload of the entry, or null when it is absent, unreadable or fails a check.</summary>
    private byte[]? ReadEntry(string hex, byte[] key)
    {
        string? path = PathFor(hex);
        if (path == null || !File.Exists(path)) return null;
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var payload = Verify(file, key);
        if (payload == null) Interlocked.Increment(ref _rejected);
        return payload;
    }

    /// <summary>The payload of a complete, intact entry for <paramref name="key"/>; null otherwise.</summary>
    internal static byte[]? Verify(ReadOnlySpan<byte> file, ReadOnlySpan<byte> key)
    {
        if (file.Length < HeaderBytes || !file[..8].SequenceEqual(Magic)) return null;
        long length = BinaryPrimitives.ReadInt64LittleEndian(file[8..16]);
        if (length <= 0 || length > MaxPayloadBytes || file.Length != HeaderBytes + length) return null;
        if (!file[48..80].SequenceEqual(key)) return null;
        var payload = file[HeaderBytes..];
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(payload, digest);
        return digest.SequenceEqual(file[16..48]) ? payload.ToArray() : null;
    }

    /// <summary>A complete entry (header + payload) for <paramref name="key"/>.</summary>
    internal static byte[] Encode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload)
    {
        var entry = new byte[HeaderBytes + payload.Length];
        Magic.CopyTo(entry);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(8), payload.Length);
        SHA256.HashData(payload, entry.AsSpan(16, 32));
        key.CopyTo(entry.AsSpan(48, 32));
        payload.CopyTo(entry.AsSpan(HeaderBytes));
        return entry;
    }

    private void WriteEntry(string hex, byte[] key, byte[] cubin)
    {
        string? path = PathFor(hex);
        if (path == null) return;
        string temp = Path.Combine(Directory!, $".{hex}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            System.IO.Directory.CreateDirectory(Directory!);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encode(key, cubin));
                stream.Flush(flushToDisk: true);
            }
            BeforeRename?.Invoke(temp, path);
            File.Move(temp, path, overwrite: true);   // rename(2): atomic within a file system
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _diskWriteFailures);
            try { File.Delete(temp); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
        }
    }
}
