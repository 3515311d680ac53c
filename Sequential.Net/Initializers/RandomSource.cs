using SequentialNet.Backends;

namespace SequentialNet.Initializers;

/// <summary>
/// A counter-based random stream (Philox under a seed and a stream id): the n-th draw is a pure function
/// of (seed, stream, n), so weight initialization is repeatable and independent of call order elsewhere.
/// </summary>
public sealed class RandomSource
{
    private readonly ulong _seed;
    private readonly uint _stream;
    private uint _counter;

    /// <summary>A stream <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public RandomSource(ulong seed, uint stream)
    {
        _seed = seed; _stream = stream;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        ulong bits = Philox.Next64(_seed, _counter++, _stream, 0x1417);
        return (bits >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Normal()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Standard normal redrawn until within ±2 (Keras/TF truncated_normal).</summary>
    public double TruncatedNormal()
    {
        while (true)
        {
            double z = Normal();
            if (Math.Abs(z) <= 2.0) return z;
        }
    }

    /// <summary>An integer in [0, n).</summary>
    public int NextInt(int n) => (int)(NextDouble() * n);
}
