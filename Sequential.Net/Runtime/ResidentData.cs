using System.IO.Hashing;
using System.Runtime.InteropServices;
using SequentialNet.Backends;

namespace SequentialNet;

/// <summary>
/// Fit's arrays kept on a device between Fit calls, so a second Fit on the same data uploads nothing and replays
/// the steps it recorded (their data pointers stay valid). An array is matched by its contents, not its
/// identity: length and a 128-bit XxHash128 of its bytes, computed on every Fit (about as much work as the
/// finiteness check Fit already runs over the data, and far less than an upload and a re-recording). So an
/// array changed in place is uploaded again (its hash moved), and an equal array (the sample weights Fit builds
/// anew per call) is matched. A Fit keeps what it used and frees the rest, and every recorded step with it.
/// Only for a backend with memory of its own (<see cref="IAsyncReadback"/>, CUDA); the CPU backend pins the
/// caller's arrays for the call instead, and keeping them pinned would hold the caller's memory.
/// </summary>
internal sealed class ResidentData(IBackend backend) : IDisposable
{
    private sealed record Entry(int[] Lengths, UInt128[] Hashes, DeviceBuffer[] Buffers)
    {
        public bool UsedThisFit { get; set; }
    }

    private readonly List<Entry> _entries = [];

    /// <summary>Whether data is kept on this backend between calls.</summary>
    public static bool Supported(IBackend backend) => backend is IAsyncReadback;

    /// <summary>A Fit starts: what it does not use again is freed by <see cref="FreeUnused"/>.</summary>
    public void BeginFit()
    {
        foreach (var entry in _entries) entry.UsedThisFit = false;
    }

    /// <summary>The device copies of <paramref name="arrays"/>: the kept ones when every array's contents match, else new uploads.</summary>
    public DeviceBuffer[] Use(float[][] arrays)
    {
        int[] lengths = [.. arrays.Select(a => a.Length)];
        UInt128[] hashes = [.. arrays.Select(Hash)];
        var entry = _entries.FirstOrDefault(e => e.Lengths.AsSpan().SequenceEqual(lengths) && e.Hashes.AsSpan().SequenceEqual(hashes));
        if (entry == null)
        {
            entry = new Entry(lengths, hashes, [.. arrays.Select(backend.UseHostData)]);
            _entries.Add(entry);
        }
        entry.UsedThisFit = true;
        return entry.Buffers;
    }

    /// <summary>Whether some kept data was not used by this Fit (recorded steps may point at it).</summary>
    public bool HasUnused => _entries.Exists(e => !e.UsedThisFit);

    /// <summary>Frees the data this Fit did not use (after the recorded steps that read it were released).</summary>
    public void FreeUnused()
    {
        for (int i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].UsedThisFit) continue;
            foreach (var buffer in _entries[i].Buffers) buffer.Dispose();
            _entries.RemoveAt(i);
        }
    }

    private static UInt128 Hash(float[] array) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(array.AsSpan()));

    /// <summary>Frees everything kept.</summary>
    public void Dispose()
    {
        foreach (var entry in _entries)
            foreach (var buffer in entry.Buffers) buffer.Dispose();
        _entries.Clear();
    }
}
