namespace SequentialNet.Initializers;

/// <summary>
/// Normal N(mean, stddev²) redrawn until within two standard deviations of the mean (Keras
/// <c>TruncatedNormal(mean=0.0, stddev=0.05, seed=None)</c>).
/// </summary>
public sealed class TruncatedNormal(double mean = 0.0, double stddev = 0.05, int? seed = null) : Initializer
{
    /// <summary>The initializer's own seed; null: the model's seed.</summary>
    public int? Seed { get; } = seed;

    /// <inheritdoc/>
    public override string Name => "truncated_normal";

    /// <inheritdoc/>
    public override float[] Generate(int[] shape, RandomSource random)
    {
        if (Seed is { } s) random = new RandomSource((ulong)(uint)s, 0);
        var values = new float[Count(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(mean + stddev * random.TruncatedNormal());
        return values;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["mean"] = mean, ["stddev"] = stddev, ["seed"] = Seed };
}
