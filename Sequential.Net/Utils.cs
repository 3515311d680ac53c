namespace SequentialNet;

/// <summary>Helpers with Keras's names: seeding and one-hot encoding.</summary>
public static class Utils
{
    private static long _stream;

    /// <summary>The seed every random draw derives from (weights, dropout masks, shuffles).</summary>
    public static ulong Seed { get; private set; } = (ulong)Random.Shared.NextInt64();

    /// <summary>
    /// Makes runs repeatable: weight initialization, shuffling and dropout become pure functions of this
    /// seed (for a given backend and thread count). Also restarts layer auto-naming, like a fresh session.
    /// </summary>
    public static void SetRandomSeed(int seed)
    {
        Seed = (ulong)(uint)seed;
        Interlocked.Exchange(ref _stream, 0);
        Layers.Layer.ResetNames();
    }

    /// <summary>A new random stream id (each weight draws from its own stream).</summary>
    internal static uint NextStream() => (uint)Interlocked.Increment(ref _stream);

    /// <summary>One-hot encodes integer labels (N,) or (N, 1) into (N, numClasses).</summary>
    /// <exception cref="ArgumentException">A label is not an integer in [0, numClasses).</exception>
    public static Tensor ToCategorical(Tensor y, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (numClasses <= 0) throw new ArgumentException($"ToCategorical: expected numClasses > 0. Received: {numClasses}.", nameof(numClasses));
        if (y.Rank > 2 || y.Rank == 2 && y.Dim(1) != 1)
            throw new ArgumentException($"ToCategorical: expected labels of shape (N,) or (N, 1). Received: {Tensor.FormatShape(y.Shape)}.", nameof(y));
        int n = y.RowCount;
        var data = new float[n * numClasses];
        for (int i = 0; i < n; i++)
        {
            float v = y.Data[i];
            if (v != MathF.Floor(v) || v < 0 || v >= numClasses)
                throw new ArgumentException($"ToCategorical: expected integer labels in [0, {numClasses - 1}]. Received: {v} at index {i}.", nameof(y));
            data[i * numClasses + (int)v] = 1f;
        }
        return new Tensor(data, n, numClasses);
    }
}
