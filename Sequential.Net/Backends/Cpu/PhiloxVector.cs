using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// Philox4x32-10 (<see cref="Philox.Generate"/>) for eight consecutive first counter words at once, with AVX-512's
/// 32×32→64-bit multiply (<c>vpmuludq</c>): the same four words per counter, bit for bit, so the masks it draws
/// are those of the scalar generator and of the CUDA kernels. Each 64-bit lane holds one 32-bit word.
/// </summary>
internal static class PhiloxVector
{
    /// <summary>Whether <see cref="Generate8"/> runs here (AVX-512F).</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>
    /// The outputs (a, b, c, d) of counters (first + l, c1, c2, c3) for lanes l = 0..7 under key (k0, k1):
    /// lane l of <paramref name="a"/> is the first word of <c>Philox.Generate(first + l, c1, c2, c3, k0, k1)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Generate8(uint first, uint c1, uint c2, uint c3, uint k0, uint k1,
        out Vector512<ulong> a, out Vector512<ulong> b, out Vector512<ulong> c, out Vector512<ulong> d)
    {
        var low = Vector512.Create(0xFFFF_FFFFUL);
        var m0 = Vector512.Create((ulong)Philox.M0).AsUInt32();
        var m1 = Vector512.Create((ulong)Philox.M1).AsUInt32();
        // Counter words wrap as uint, as the scalar generator's do.
        var v0 = (Vector512.Create((ulong)first) + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7)) & low;
        Vector512<ulong> v1 = Vector512.Create((ulong)c1), v2 = Vector512.Create((ulong)c2), v3 = Vector512.Create((ulong)c3);
        for (int round = 0; round < 10; round++)
        {
            var p0 = Avx512F.Multiply(v0.AsUInt32(), m0);   // full 64-bit products of the low words
            var p1 = Avx512F.Multiply(v2.AsUInt32(), m1);
            var n0 = (p1 >>> 32) ^ v1 ^ Vector512.Create((ulong)k0);
            var n2 = (p0 >>> 32) ^ v3 ^ Vector512.Create((ulong)k1);
            v1 = p1 & low; v3 = p0 & low; v0 = n0; v2 = n2;
            k0 += Philox.W0; k1 += Philox.W1;
        }
        a = v0; b = v1; c = v2; d = v3;
    }
}
