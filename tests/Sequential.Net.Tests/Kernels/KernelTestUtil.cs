namespace SequentialNet.Tests.Kernels;

/// <summary>Shared helpers of the kernel tests: poison values, random fills, the tolerance rule of docs/testing.md.</summary>
internal static class KernelTestUtil
{
    /// <summary>A quiet NaN with a recognizable payload: a slot still holding exactly these bits was never written.</summary>
    public const int PoisonBits = 0x7FC0DEAD;

    public static float Poison => BitConverter.Int32BitsToSingle(PoisonBits);

    public static bool IsPoison(float v) => BitConverter.SingleToInt32Bits(v) == PoisonBits;

    /// <summary>Uniform in [lo, hi], never exactly 0 (docs/testing.md: fresh random inputs, never zeros).</summary>
    public static float NextNonZero(Random rng, float lo, float hi)
    {
        while (true)
        {
            float v = (float)(lo + (hi - lo) * rng.NextDouble());
            if (v != 0f) return v;
        }
    }

    public static float[] RandomArray(Random rng, int length, float lo, float hi)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = NextNonZero(rng, lo, hi);
        return a;
    }

    public static float[] Poisoned(int length)
    {
        var a = new float[length];
        a.AsSpan().Fill(Poison);
        return a;
    }

    /// <summary>|actual − expected| ≤ atol + rtol·|expected|; NaN never passes.</summary>
    public static bool Close(double actual, double expected, double atol, double rtol)
        => !double.IsNaN(actual) && !double.IsNaN(expected)
           && (actual == expected || Math.Abs(actual - expected) <= atol + rtol * Math.Abs(expected));
}
