using System.Runtime.CompilerServices;

namespace SequentialNet.Backends;

/// <summary>
/// Which rows of a data buffer a pass reads, in which order: rows [Start, Start + Count), either in order
/// or shuffled by a keyed bijection of (seed, epoch). The permutation is computed per element (a
/// Feistel network with cycle walking), so no index list exists anywhere: the GPU gathers a shuffled
/// batch with no host input, the CPU gets the identical order, and a resumed run repeats the epoch.
/// The CUDA kernels implement the same function (kernels/common.cuh).
/// </summary>
public readonly record struct RowOrder(int Start, int Count, bool Shuffled, ulong Seed)
{
    /// <summary>The data row read at position <paramref name="position"/> of epoch <paramref name="epoch"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Row(int position, int epoch) => Start + (Shuffled ? Permute((uint)position, (uint)Count, Seed, (uint)epoch) : position);

    /// <summary>A bijection of [0, count): a 4-round Feistel network on the smallest even-bit domain ≥ count, cycle-walked into range.</summary>
    public static int Permute(uint index, uint count, ulong seed, uint epoch)
    {
        // Cycle walking from outside [0, count) could circle forever: positions past the end are a bug upstream.
        if (index >= count) throw new ArgumentOutOfRangeException(nameof(index), $"RowOrder: position {index} is past the {count} rows of this pass.");
        if (count == 1) return 0;
        int bits = 2;
        while ((1UL << bits) < count) bits += 2;     // even, so the two halves have equal width
        int half = bits / 2;
        uint mask = (1u << half) - 1;
        uint k0 = (uint)seed ^ Hash(epoch * 0x9E3779B9u), k1 = (uint)(seed >> 32) ^ Hash(epoch + 0x7F4A7C15u);
        uint x = index;
        do
        {
            uint left = x >> half, right = x & mask;
            for (uint round = 0; round < 4; round++)
            {
                uint f = Hash(right ^ (round * 0x632BE5ABu) ^ ((round & 1) == 0 ? k0 : k1)) & mask;
                (left, right) = (right, left ^ f);
            }
            x = (left << half) | right;
        } while (x >= count);                       // domain < 4·count, so about ≤ 4 walks on average
        return (int)x;
    }

    /// <summary>lowbias32 (C. Wellons): a fast, well-mixing 32-bit integer hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(uint x)
    {
        x ^= x >> 16; x *= 0x7FEB352Du;
        x ^= x >> 15; x *= 0x846CA68Bu;
        x ^= x >> 16;
        return x;
    }
}
