using System.Runtime.CompilerServices;

namespace SequentialNet.Backends;

/// <summary>
/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11): a counter-based
/// generator. The same (key, counter) gives the same four words on every backend, so dropout masks and
/// shuffles are pure functions of (seed, step) and a resumed run replays an uninterrupted one exactly.
/// The CUDA kernels implement the identical function (kernels/common.cuh).
/// </summary>
public static class Philox
{
    // The round multipliers and key increments (Cpu/PhiloxVector.cs runs the same rounds in vector lanes).
    internal const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>The four 32-bit outputs for counter (c0..c3) under key (k0, k1).</summary>
    public static (uint, uint, uint, uint) Generate(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0, hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
            k0 += W0; k1 += W1;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>
    /// Uniform float in [0, 1) for element <paramref name="index"/> of draw (step, stream) under seed.
    /// Word (index mod 4) of counter (index / 4, step, stream, 0): 24 high bits, so exactly representable.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Uniform(ulong seed, uint step, uint stream, uint index)
    {
        var (a, b, c, d) = Generate(index >> 2, step, stream, 0, (uint)seed, (uint)(seed >> 32));
        uint word = (index & 3) switch { 0 => a, 1 => b, 2 => c, _ => d };
        return (word >> 8) * (1.0f / 16777216f);
    }

    /// <summary>A 64-bit draw for (key, counter), used for host-side shuffles.</summary>
    public static ulong Next64(ulong seed, uint c0, uint c1, uint c2)
    {
        var (a, b, _, _) = Generate(c0, c1, c2, 0x5EED, (uint)seed, (uint)(seed >> 32));
        return ((ulong)a << 32) | b;
    }
}
